"""The Wastewater Management Authority's system: its figures live and synced, its hand-typed
slips kept out and listed, and its faults costing only its own part of an answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Gateway
from tests.connectors.sources.conftest import FAULTS, Simulators
from tests.databases import BACKENDS
from tests.domain.figures.sync.sync_helpers import FY2026, FY2026_Q1, figure, stored, sync

GENERATED = "WASTEWATER_GENERATED_M3"
TREATED = "WASTEWATER_TREATED_M3"
LIVE = """{ area(code: "34") { indicatorValues(codes: ["WASTEWATER_GENERATED_M3",
    "POPULATION_REGISTERED"], period: "FY2026-Q1") { indicatorCode value source } } }"""


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def source_options() -> dict[str, Any]:
    return {"timeout": 0.4, "retries": 1, "circuit_threshold": 3, "circuit_reset": 0.3}


@pytest.mark.parametrize(("faults", "code"), FAULTS)
async def test_a_failing_wma_costs_only_its_part(gateway: Gateway, sims: Simulators,
                                                 faults: dict[str, Any], code: str) -> None:
    sims.faults("wma", **faults)
    body = await gateway.query(LIVE)
    values = body["data"]["area"]["indicatorValues"]
    assert {v["source"] for v in values} == {"dopa"}
    assert [(e["extensions"]["source"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("wma", code)]
    report = await sync(gateway, "wma", FY2026_Q1)
    assert not report.ok and report.error and report.error.startswith(code)
    assert report.written == 0 and await stored(gateway, "source = 'wma'") == []


async def test_slips_are_kept_out_and_listed_the_rest_is_synced(gateway: Gateway,
                                                                sims: Simulators) -> None:
    live = await gateway.query(LIVE)
    [province] = [v for v in live["data"]["area"]["indicatorValues"]
                  if v["indicatorCode"] == GENERATED]
    report = await sync(gateway, "wma", FY2026_Q1)
    assert report.ok and report.written > 0
    reasons = sorted(r.reason for r in report.rejected)
    assert len(reasons) == 3
    assert any("generated_m3" in r and "decimal" in r for r in reasons)
    assert any("not below zero" in r for r in reasons)
    assert any("unknown code" in r for r in reasons)
    assert any(r.row.startswith("row ") and "349999" in r.row for r in report.rejected)

    found = await figure(gateway, "34", GENERATED, "FY2026-Q1", live=False)
    assert found["indicator"]["value"] == province["value"]
    assert (found["indicator"]["source"], found["indicator"]["revision"]) == ("wma", 1)
    body = await gateway.query("""{ sources { name unmappedRows { key reason }
        sync { failed rejected { key reason } } } }""")
    [wma] = [s for s in body["data"]["sources"] if s["name"] == "wma"]
    assert not wma["sync"]["failed"]
    assert sorted(r["reason"] for r in wma["sync"]["rejected"]) == reasons
    assert {r["key"] for r in wma["sync"]["rejected"]} <= {r["key"] for r in wma["unmappedRows"]}
    # no half of a slipped row made it in: every stored row has both volumes or neither
    rows = await stored(gateway, "source = 'wma'")
    by_area: dict[str, set[str]] = {}
    for row in rows:
        by_area.setdefault(row["area_code"], set()).add(row["indicator_code"])
    assert all(codes == {GENERATED, TREATED} for codes in by_area.values())
    assert all(row["value"] >= 0 for row in rows)


async def test_the_treated_share_over_a_fiscal_year_is_the_ratio_of_its_totals(
        gateway: Gateway, sims: Simulators) -> None:
    assert (await sync(gateway, "wma", FY2026)).ok
    quarters = [f"FY2026-Q{q}" for q in range(1, 5)]
    treated = [(await figure(gateway, "3401", TREATED, q, live=False))["indicator"]["value"]
               for q in quarters]
    generated = [(await figure(gateway, "3401", GENERATED, q, live=False))["indicator"]["value"]
                 for q in quarters]
    year = (await figure(gateway, "3401", "WASTEWATER_TREATED_PCT", "FY2026",
                         live=False))["indicator"]
    assert year["value"] == pytest.approx(sum(treated) / sum(generated) * 100)
    assert year["periodCoverage"] == {"present": 4, "expected": 4, "missing": []}
    total = (await figure(gateway, "3401", GENERATED, "FY2026", live=False))["indicator"]
    assert total["value"] == pytest.approx(sum(generated))
    refused = await gateway.query("""{ area(code: "3401") {
        indicator(code: "WASTEWATER_GENERATED_M3", period: "2025-10") { value } } }""")
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "fiscal quarter periods or longer" in refused["errors"][0]["message"]
