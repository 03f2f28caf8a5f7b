"""A source's figures synced into the store answer like recorded ones: targets, status, trend,
ranking, dashboard, REST and CSV, with their provenance; a later change is a new revision; a
failed sync keeps the last good figures, marked stale. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.databases import BACKENDS
from tests.domain.figures.sync.sync_helpers import FY2026, figure, set_target, stored, sync

INCOME = "THAIQM_INCOME_HH"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_the_issues_query_answers_the_same_value_with_a_target_and_status(
        gateway: Gateway, sims: Simulators) -> None:
    before = await figure(gateway, "34", INCOME, "FY2026")
    assert before["indicator"]["value"] is None  # nothing synced yet
    report = await sync(gateway, "cdd")
    assert report.ok and report.provinces == 1 and report.written > 0
    live = before["indicatorValues"][0]["value"]
    target = round(live * 0.9)
    await set_target(gateway, INCOME, "34", 2026, target)
    found = await figure(gateway, "34", INCOME, "FY2026")
    indicator = found["indicator"]
    assert indicator["value"] == live == found["indicatorValues"][0]["value"]
    assert indicator["target"] == target
    assert indicator["achievementPct"] == pytest.approx(90.0, abs=0.1)  # fewer is better
    assert indicator["status"] == "AT_RISK"
    assert (indicator["source"], indicator["revision"], indicator["stale"]) == ("cdd", 1, False)
    assert indicator["fetchedAt"] and indicator["recordedAt"]
    assert indicator["computed"] is False
    assert [p["period"] for p in indicator["trend"]] == ["FY2025", "FY2026"]
    assert indicator["trend"][1]["value"] == live


async def test_children_are_ranked_and_the_dashboard_reads_the_synced_figures(
        gateway: Gateway, sims: Simulators) -> None:
    await sync(gateway, "cdd")
    body = await gateway.query("""{
      area(code: "34") {
        rankedChildren(indicatorCode: "THAIQM_INCOME_HH", period: "FY2026", descending: true) {
          rank value { value source } area { code } }
        children { code indicatorValues(codes: ["THAIQM_INCOME_HH"], period: "FY2026") {
          value } } }
      dashboard(areaCode: "34", fiscalYear: 2026, indicatorCodes: ["THAIQM_INCOME_HH"]) {
        indicators { indicator { code } value period coverage { reported expected } }
        rankingIndicatorCode children { rank area { code } performance { value } } } }""")
    assert "errors" not in body, body
    live = {c["code"]: c["indicatorValues"][0]["value"] for c in body["data"]["area"]["children"]}
    ranked = body["data"]["area"]["rankedChildren"]
    assert len(ranked) == len(live) > 20
    assert {r["area"]["code"]: r["value"]["value"] for r in ranked} == live
    values = [r["value"]["value"] for r in ranked]
    assert values == sorted(values, reverse=True)
    assert {r["value"]["source"] for r in ranked} == {"cdd"}
    dashboard = body["data"]["dashboard"]
    [key] = dashboard["indicators"]
    assert key["value"] == sum(live.values()) and key["period"] == "FY2026"
    assert dashboard["rankingIndicatorCode"] == INCOME
    assert {c["area"]["code"]: c["performance"]["value"] for c in dashboard["children"]} == live


async def test_rest_and_csv_list_the_synced_figures(gateway: Gateway, sims: Simulators) -> None:
    empty = await gateway.client.get("/api/v1/areas/34/values", params={"indicator": INCOME},
                                     headers=gateway.headers)
    assert empty.json() == {"items": []}
    await sync(gateway, "cdd")
    found = await gateway.client.get("/api/v1/areas/34/values",
                                     params={"indicator": INCOME, "from": "FY2026",
                                             "to": "FY2026"}, headers=gateway.headers)
    assert found.status_code == 200, found.text
    [item] = found.json()["items"]
    assert (item["period"], item["source"], item["yearBe"], item["revision"]) == (
        "FY2026", "cdd", 2569, 1)
    assert item["recordedAt"]
    sheet = await gateway.client.get(
        "/api/v1/areas/34/values", params={"indicator": INCOME, "children": "true"},
        headers={**gateway.headers, "Accept": "text/csv"})
    assert sheet.status_code == 200, sheet.text
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert {(r["source"], r["revision"]) for r in rows} == {("cdd", "1")}
    assert all(r["recordedAt"] for r in rows)
    assert {r["areaCode"][:2] for r in rows} == {"34"} and len(rows) > 20


async def test_a_changed_figure_is_a_new_revision_and_a_failed_sync_leaves_it_stale(
        gateway: Gateway, sims: Simulators) -> None:
    window = (FY2026[0], FY2026[0].replace(day=31))  # October 2025 only
    first = await sync(gateway, "pwa", window)
    assert first.ok and first.written == 2 * 245  # two indicators, every area of the province
    sims.figures("pwa", {"water_loss_pct|340101|2568-10": 44.5})
    again = await sync(gateway, "pwa", window)
    assert (again.written, again.unchanged) == (1, 2 * 245 - 1)
    revisions = await stored(gateway, "indicator_code = 'WATER_LOSS_PCT' AND "
                                      "area_code = '340101'")
    assert [(r["value"], r["revision"], r["is_current"]) for r in revisions] == [
        (revisions[0]["value"], 1, False), (44.5, 2, True)]
    assert {r["source"] for r in revisions} == {"pwa"}

    sims.faults("pwa", mode="error")
    failed = await sync(gateway, "pwa", window)
    assert not failed.ok and failed.error and failed.error.startswith("SOURCE_UNAVAILABLE")
    found = await figure(gateway, "340101", "WATER_LOSS_PCT", "2025-10", live=False)
    assert found["indicator"]["value"] == 44.5
    assert (found["indicator"]["stale"], found["indicator"]["revision"]) == (True, 2)
    body = await gateway.query("""{ sources { name status lastError
        sync { failed error succeededAt written } } }""")
    [pwa] = [s for s in body["data"]["sources"] if s["name"] == "pwa"]
    assert pwa["status"] == "DEGRADED" and pwa["lastError"].startswith("SOURCE_UNAVAILABLE")
    assert pwa["sync"]["failed"] and pwa["sync"]["succeededAt"] and pwa["sync"]["written"] == 1

    sims.reset()
    recovered = await sync(gateway, "pwa", window)
    assert recovered.ok and recovered.written == 1  # the source holds its own figure again
    found = await figure(gateway, "340101", "WATER_LOSS_PCT", "2025-10")
    assert (found["indicator"]["stale"], found["indicator"]["revision"]) == (False, 3)
