"""Roll-ups against hand computation on Phuket (83): districts 8301 (8 subdistricts), 8302 (3)
and 8303 (6), 17 subdistricts in all."""

from __future__ import annotations

import pytest

from tests.conftest import Gateway
from tests.domain.helpers import record, row, value_of

pytestmark = pytest.mark.asyncio


async def test_sum_rolls_up_with_coverage(gateway: Gateway) -> None:
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 10),
                           row("DROUGHT_AFFECTED_HH", "830102", "2026-03", 20),
                           row("DROUGHT_AFFECTED_HH", "830201", "2026-03", 5)])
    own = await value_of(gateway, "830101", "DROUGHT_AFFECTED_HH", "2026-03")
    assert own == {"value": 10, "computed": False,
                   "coverage": {"reported": 1, "expected": 1, "level": "SUBDISTRICT",
                                "ratio": 1.0}}
    district = await value_of(gateway, "8301", "DROUGHT_AFFECTED_HH", "2026-03")
    assert district["value"] == 30 and district["computed"]
    assert district["coverage"] == {"reported": 2, "expected": 8, "level": "SUBDISTRICT",
                                    "ratio": 0.25}
    province = await value_of(gateway, "83", "DROUGHT_AFFECTED_HH", "2026-03")
    assert province["value"] == 35
    assert (province["coverage"]["reported"], province["coverage"]["expected"]) == (3, 17)
    country = await value_of(gateway, "TH", "DROUGHT_AFFECTED_HH", "2026-03")
    assert country["value"] == 35
    assert (country["coverage"]["reported"], country["coverage"]["expected"]) == (3, 7436)
    empty = await value_of(gateway, "8303", "DROUGHT_AFFECTED_HH", "2026-03")
    assert empty["value"] is None
    assert (empty["coverage"]["reported"], empty["coverage"]["expected"]) == (0, 6)


async def test_mean_and_an_areas_own_figure(gateway: Gateway) -> None:
    code = "SERVICE_SATISFACTION_PCT"
    await record(gateway, [row(code, "830101", "FY2026-Q2", 80),
                           row(code, "830102", "FY2026-Q2", 90),
                           row(code, "830201", "FY2026-Q2", 70),
                           row(code, "8303", "FY2026-Q2", 60)])
    assert (await value_of(gateway, "8301", code, "FY2026-Q2"))["value"] == pytest.approx(85)
    own = await value_of(gateway, "8303", code, "FY2026-Q2")
    assert own["value"] == 60 and not own["computed"]
    # The province is computed from the deepest level with figures: its three subdistricts.
    province = await value_of(gateway, "83", code, "FY2026-Q2")
    assert province["value"] == pytest.approx(80)
    assert province["coverage"]["level"] == "SUBDISTRICT"
    assert (province["coverage"]["reported"], province["coverage"]["expected"]) == (3, 17)


async def test_population_weighted_mean(gateway: Gateway) -> None:
    await record(gateway, [row("POPULATION", "830101", "FY2026", 1000),
                           row("POPULATION", "830102", "FY2026", 3000),
                           row("POPULATION", "830201", "FY2026", 2000),
                           row("SAFE_WATER_PCT", "830101", "2026-03", 90),
                           row("SAFE_WATER_PCT", "830102", "2026-03", 70),
                           row("SAFE_WATER_PCT", "830201", "2026-03", 80),
                           row("SAFE_WATER_PCT", "830301", "2026-03", 50)])
    province = await value_of(gateway, "83", "SAFE_WATER_PCT", "2026-03")
    # (90·1000 + 70·3000 + 80·2000) / 6000; 830301 has no population, so it cannot be weighted.
    assert province["value"] == pytest.approx(460_000 / 6_000)
    assert province["coverage"]["reported"] == 3
    district = await value_of(gateway, "8301", "SAFE_WATER_PCT", "2026-03")
    assert district["value"] == pytest.approx(300_000 / 4_000)
    own = await value_of(gateway, "830301", "SAFE_WATER_PCT", "2026-03")
    assert own["value"] == 50 and not own["computed"]


async def test_ratio_of_two_sums(gateway: Gateway) -> None:
    treated, generated = "WASTEWATER_TREATED_M3", "WASTEWATER_GENERATED_M3"
    await record(gateway, [row(treated, "8301", "FY2026-Q1", 300),
                           row(generated, "8301", "FY2026-Q1", 1000),
                           row(treated, "8302", "FY2026-Q1", 100),
                           row(generated, "8302", "FY2026-Q1", 1000),
                           row(generated, "8303", "FY2026-Q1", 500)])
    province = await value_of(gateway, "83", "WASTEWATER_TREATED_PCT", "FY2026-Q1")
    # 8303 reported only the denominator: (300 + 100) / (1000 + 1000), two of three districts.
    assert province["value"] == pytest.approx(20.0)
    assert province["coverage"] == {"reported": 2, "expected": 3, "level": "DISTRICT",
                                    "ratio": pytest.approx(2 / 3)}
    district = await value_of(gateway, "8301", "WASTEWATER_TREATED_PCT", "FY2026-Q1")
    assert district["value"] == pytest.approx(30.0) and not district["computed"]


async def test_max(gateway: Gateway) -> None:
    code = "FLOOD_WATER_LEVEL_M"
    await record(gateway, [row(code, "830101", "2026-03", 1.5), row(code, "830102", "2026-03", 2.5),
                           row(code, "830201", "2026-03", -0.5)])
    assert (await value_of(gateway, "83", code, "2026-03"))["value"] == 2.5
    assert (await value_of(gateway, "8302", code, "2026-03"))["value"] == -0.5


RANKED = """
query($by: RankBy!) { area(code: "83") { rankedChildren(indicatorCode: "DROUGHT_AFFECTED_HH",
  period: "2026-03", by: $by) { rank area { code } value { value achievementPct status } } } }
"""


async def test_children_ranked_by_value_and_achievement(gateway: Gateway) -> None:
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 10),
                           row("DROUGHT_AFFECTED_HH", "830201", "2026-03", 40)])
    body = await gateway.query(RANKED, {"by": "VALUE"})
    ranked = body["data"]["area"]["rankedChildren"]
    assert [(r["rank"], r["area"]["code"], r["value"]["value"]) for r in ranked] == [
        (1, "8302", 40), (2, "8301", 10), (3, "8303", None)]
    targets = """mutation { setTargets(input: [
      {indicatorCode: "DROUGHT_AFFECTED_HH", areaCode: "8301", fiscalYear: 2026, value: 5},
      {indicatorCode: "DROUGHT_AFFECTED_HH", areaCode: "8302", fiscalYear: 2026, value: 50}
    ]) { areaCode value } }"""
    assert "errors" not in await gateway.query(targets)
    body = await gateway.query(RANKED, {"by": "ACHIEVEMENT"})
    ranked = body["data"]["area"]["rankedChildren"]
    # Lower is better: 8302 at 40 against 50 achieves 125 %, 8301 at 10 against 5 only 50 %.
    assert [(r["area"]["code"], r["value"]["achievementPct"], r["value"]["status"])
            for r in ranked] == [("8302", 125.0, "ON_TRACK"), ("8301", 50.0, "OFF_TRACK"),
                                 ("8303", None, None)]
