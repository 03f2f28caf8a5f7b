"""Poverty at the depth of Thai QM and TPMAP: households in need per dimension and on any,
target-poor persons, the share in need, and cases by agency and status, per area and fiscal year,
from the CDD simulator over HTTP; in the catalogue, rankable, usable for targets and alerts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from areagraph.connectors.cdd import CASE_AGENCIES, DIMENSION_KEYS
from areagraph.connectors.simulators import cdd
from areagraph.connectors.simulators.geography import subdistricts_of_province
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.connectors.sources.test_mapping import by_indicator, values_query
from tests.databases import BACKENDS
from tests.domain.figures.sync.sync_helpers import sync

FY2026_BE = 2569
STATUS_KEYS = {"พบปัญหา": "FOUND", "อยู่ระหว่างการช่วยเหลือ": "HELPING", "แก้ไขแล้ว": "RESOLVED"}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def tambons(area: str) -> list[str]:
    return [t for t in subdistricts_of_province(area[:2]) if t.startswith(area)]


def expected(area: str, year_be: int = FY2026_BE) -> dict[str, float]:
    """Every new figure for an area, summed from the simulator's own numbers."""
    found: dict[str, float] = {}

    def add(code: str, value: float) -> None:
        found[code] = found.get(code, 0) + value

    for tambon in tambons(area):
        need_any, persons = cdd.poverty(tambon, year_be)
        add("THAIQM_NEED_ANY_HH", need_any)
        add("TPMAP_TARGET_POOR", persons)
        add("BMN_HH_SURVEYED", cdd.survey(tambon, year_be, "สุขภาพ")[0])
        for dimension, key in DIMENSION_KEYS.items():
            add(f"THAIQM_{key}_HH", cdd.survey(tambon, year_be, dimension)[1])
            for (agency, status), count in cdd.cases(tambon, year_be, dimension).items():
                add(f"THAIQM_CASES_{STATUS_KEYS[status]}", count)
                add(f"THAIQM_CASES_{STATUS_KEYS[status]}_{agency}", count)
                if STATUS_KEYS[status] == "RESOLVED":
                    add(f"THAIQM_{key}_HELPED_HH", count)
    found["THAIQM_NEED_SHARE_PCT"] = round(
        100 * found["THAIQM_NEED_ANY_HH"] / found["BMN_HH_SURVEYED"], 2)
    return found


def codes() -> list[str]:
    return [*(f"THAIQM_{k}_HH" for k in DIMENSION_KEYS.values()),
            *(f"THAIQM_{k}_HELPED_HH" for k in DIMENSION_KEYS.values()),
            "THAIQM_NEED_ANY_HH", "THAIQM_NEED_SHARE_PCT", "TPMAP_TARGET_POOR",
            *(f"THAIQM_CASES_{s}" for s in STATUS_KEYS.values()),
            *(f"THAIQM_CASES_{s}_{a}" for s in STATUS_KEYS.values() for a in CASE_AGENCIES)]


def rounded(values: dict[str, float], wanted: Iterable[str]) -> dict[str, float]:
    return {c: round(values[c], 2) for c in wanted if c in values}


async def test_a_district_has_every_figure_per_dimension_persons_share_and_cases(
        gateway: Gateway, sims: Simulators) -> None:
    wanted = codes()
    body = await gateway.query(values_query("3401", wanted, "FY2026"))
    assert "errors" not in body, body
    got = by_indicator(body)
    want = expected("3401")
    assert rounded(got, wanted) == rounded(want, wanted)
    assert set(got) == set(wanted) - {f"THAIQM_CASES_{s}_{a}" for s in STATUS_KEYS.values()
                                      for a in CASE_AGENCIES if f"THAIQM_CASES_{s}_{a}" not in want}
    # Every household in need on a dimension is one case, found, being helped or resolved.
    assert sum(got[f"THAIQM_CASES_{s}"] for s in STATUS_KEYS.values()) == sum(
        got[f"THAIQM_{k}_HH"] for k in DIMENSION_KEYS.values())
    assert got["THAIQM_INCOME_HELPED_HH"] == got["THAIQM_CASES_RESOLVED_CDD"] + sum(
        c for (a, s), c in _income_cases("3401").items() if a == "MSDHS" and s == "แก้ไขแล้ว")
    assert len(sims.calls("cdd")) == 2  # the survey and the cases, once each


def _income_cases(area: str) -> dict[tuple[str, str], int]:
    total: dict[tuple[str, str], int] = {}
    for tambon in tambons(area):
        for key, count in cdd.cases(tambon, FY2026_BE, "รายได้").items():
            total[key] = total.get(key, 0) + count
    return total


async def test_year_on_year_change_is_there_for_every_figure(
        gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""{ area(code: "340101") { indicatorValues(
        codes: ["TPMAP_TARGET_POOR", "THAIQM_CASES_RESOLVED"], period: "FY2025")
        { indicatorCode period value } } }""")
    earlier = {(v["indicatorCode"], v["period"]): v["value"]
               for v in body["data"]["area"]["indicatorValues"]}
    body = await gateway.query(values_query("340101", ["TPMAP_TARGET_POOR",
                                                       "THAIQM_CASES_RESOLVED"], "FY2026"))
    now = by_indicator(body)
    before, after = expected("340101", 2568), expected("340101", FY2026_BE)
    for code in ("TPMAP_TARGET_POOR", "THAIQM_CASES_RESOLVED"):
        assert earlier[(code, "FY2025")] == before[code]
        assert now[code] - earlier[(code, "FY2025")] == after[code] - before[code]


async def test_an_executive_ranks_ubon_districts_by_income_need_with_those_helped(
        gateway: Gateway, sims: Simulators) -> None:
    gateway.login("executive")
    body = await gateway.query("""{ areas(parentCode: "34", first: 100) { edges { node { code
        indicatorValues(codes: ["THAIQM_INCOME_HH", "THAIQM_INCOME_HELPED_HH"],
                        period: "FY2026") { indicatorCode value } } } } }""")
    assert "errors" not in body, body
    rows = {e["node"]["code"]: {v["indicatorCode"]: v["value"]
                                for v in e["node"]["indicatorValues"]}
            for e in body["data"]["areas"]["edges"]}
    ranked = sorted(rows, key=lambda code: -rows[code]["THAIQM_INCOME_HH"])
    truth = {d: expected(d) for d in rows}
    assert ranked == sorted(truth, key=lambda d: -truth[d]["THAIQM_INCOME_HH"])
    assert all(rows[d]["THAIQM_INCOME_HELPED_HH"] == truth[d]["THAIQM_INCOME_HELPED_HH"]
               <= rows[d]["THAIQM_INCOME_HH"] for d in rows)
    assert len(rows) == 25  # Ubon Ratchathani's districts


async def test_the_figures_are_in_the_catalogue_and_take_targets_and_alerts(
        gateway: Gateway, sims: Simulators) -> None:
    listed = await gateway.query('{ indicators(topic: POVERTY) { code aggregation } }')
    catalogue = {i["code"]: i["aggregation"] for i in listed["data"]["indicators"]}
    assert set(codes()) <= set(catalogue)
    assert catalogue["THAIQM_NEED_SHARE_PCT"] == "RATIO"
    set_target = await gateway.query("""mutation { setTargets(input: [{
        indicatorCode: "THAIQM_INCOME_HH", areaCode: "34", fiscalYear: 2026, value: 5000 }])
        { value } }""")
    assert set_target["data"]["setTargets"] == [{"value": 5000.0}], set_target
    rule = await gateway.query("""mutation { createAlertRule(name: "ครัวเรือนเป้าหมายเกินร้อยละ 30",
        indicatorCode: "THAIQM_NEED_SHARE_PCT", comparator: GT, threshold: 30, areaCode: "34")
        { id } }""")
    assert "errors" not in rule, rule


def test_only_counts_leave_the_source(sims: Simulators) -> None:
    for path in ("/jpt/api/v2/survey", "/thaiqm/api/v1/cases"):
        answer = httpx.get(f"{sims.url('cdd')}{path}", params={"changwat": "34", "pee": "2569"})
        records: list[dict[str, Any]] = answer.json()["records"]
        assert records and {k for r in records for k in r} <= {
            "tambon_id", "pee", "dimension", "agency", "status", "cases", "surveyed_hh",
            "need_hh", "need_any_hh", "target_poor_persons"}


async def test_after_the_source_sync_districts_rank_by_income_need_with_those_helped(
        gateway: Gateway, sims: Simulators) -> None:
    await sync(gateway, "cdd")
    gateway.login("executive")
    body = await gateway.query("""{ area(code: "34") {
      need: rankedChildren(indicatorCode: "THAIQM_INCOME_HH", period: "FY2026",
                           descending: true) { rank area { code } value { value source } }
      helped: rankedChildren(indicatorCode: "THAIQM_INCOME_HELPED_HH", period: "FY2026") {
        area { code } value { value } }
      share: indicator(code: "THAIQM_NEED_SHARE_PCT", period: "FY2026") { value } } }""")
    assert "errors" not in body, body
    area = body["data"]["area"]
    need = [(r["area"]["code"], r["value"]["value"]) for r in area["need"]]
    helped = {r["area"]["code"]: r["value"]["value"] for r in area["helped"]}
    assert [v for _, v in need] == sorted((v for _, v in need), reverse=True)
    assert {r["value"]["source"] for r in area["need"]} == {"cdd"}
    assert {code: value for code, value in need} == {
        d: expected(d)["THAIQM_INCOME_HH"] for d in helped}
    assert helped == {d: expected(d)["THAIQM_INCOME_HELPED_HH"] for d in helped}
    assert round(area["share"]["value"], 2) == expected("34")["THAIQM_NEED_SHARE_PCT"]
