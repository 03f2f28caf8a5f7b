"""The dashboard and performance against targets, computed by hand on Phuket (83)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from areagraph.connectors.local.models import Complaint
from tests.conftest import Gateway
from tests.domain.helpers import record, row
from tests.domain.projects.test_projects_and_alerts import PROGRESS, create

DASHBOARD = """query($area: String!, $rank: String) {
  dashboard(areaCode: $area, fiscalYear: 2026, rankIndicatorCode: $rank) {
    fiscalYear fiscalYearBE area { code }
    indicators { indicator { code } value period target achievementPct status
                 coverage { reported expected } trend { period value } }
    complaints { counts { received open } }
    projects { count budgetAllocated budgetDisbursed disbursementPct meanProgressPct }
    activeAlerts { areaCode indicatorCode value }
    rankingIndicatorCode
    children { rank area { code } performance { value achievementPct status } } } }"""


async def _targets(gateway: Gateway, rows: list[tuple[str, str, float]]) -> None:
    body = await gateway.query(
        "mutation($i: [TargetInput!]!) { setTargets(input: $i) { value } }",
        {"i": [{"indicatorCode": c, "areaCode": a, "fiscalYear": 2026, "value": v}
               for c, a, v in rows]})
    assert "errors" not in body, body


async def _situation(gateway: Gateway) -> None:
    await _targets(gateway, [("SAFE_WATER_PCT", "83", 80), ("DROUGHT_AFFECTED_HH", "83", 100),
                             ("SAFE_WATER_PCT", "8301", 80), ("SAFE_WATER_PCT", "8302", 80)])
    rule = await gateway.query("""mutation { createAlertRule(name: "น้ำสะอาดต่ำกว่า 65",
      indicatorCode: "SAFE_WATER_PCT", areaCode: "83", comparator: LT, threshold: 65) { id } }""")
    assert "errors" not in rule
    water, drought, people = "SAFE_WATER_PCT", "DROUGHT_AFFECTED_HH", "POPULATION"
    await record(gateway, [
        row(people, "830101", "FY2026", 1000), row(people, "830201", "FY2026", 3000),
        row(water, "830101", "2026-02", 70), row(water, "830201", "2026-02", 90),
        row(water, "830101", "2026-03", 60), row(water, "830201", "2026-03", 100),
        row(drought, "830101", "2025-09", 500),  # 30 September's month: FY2025, not counted
        row(drought, "830101", "2025-10", 10),  # 1 October's month: FY2026
        row(drought, "830101", "2026-03", 20), row(drought, "830201", "2026-03", 30),
    ])
    assert "errors" not in await create(gateway, code="P-83", areas=["8301"])
    assert "errors" not in await gateway.query(PROGRESS, {"code": "P-83", "pct": 40,
                                                          "paid": "250000"})
    body = await gateway.query("""mutation { fileComplaint(input: {channel: WEB,
      categoryCode: "water", areaCode: "830101", subject: "น้ำไม่ไหล",
      complainantName: "มาลี ศรีสุข"}) { ticketNo } }""")
    async with gateway.services.database.unit_of_work() as session:
        await session.execute(update(Complaint.__table__)  # type: ignore[attr-defined]
                              .values(received_at=datetime(2026, 5, 1, tzinfo=UTC)))
    assert "errors" not in body


def _by_code(dashboard: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["indicator"]["code"]: i for i in dashboard["indicators"]}


async def test_dashboard_of_a_province(gateway: Gateway) -> None:
    await _situation(gateway)
    body = await gateway.query(DASHBOARD, {"area": "83", "rank": "SAFE_WATER_PCT"})
    assert "errors" not in body, body
    board = body["data"]["dashboard"]
    assert (board["fiscalYear"], board["fiscalYearBE"]) == (2026, 2569)
    water = _by_code(board)["SAFE_WATER_PCT"]
    # Latest month: (60·1000 + 100·3000) / 4000 = 90 against 80 → 112.5 %.
    assert (water["value"], water["period"], water["target"]) == (90.0, "2026-03", 80.0)
    assert water["achievementPct"] == pytest.approx(112.5) and water["status"] == "ON_TRACK"
    assert water["coverage"] == {"reported": 2, "expected": 17}
    trend = {p["period"]: p["value"] for p in water["trend"]}
    assert trend["2026-02"] == pytest.approx(85.0) and trend["2025-10"] is None
    assert next(iter(trend)) == "2025-10" and len(trend) == 12
    drought = _by_code(board)["DROUGHT_AFFECTED_HH"]
    # Year to date 10 + 20 + 30 = 60 (September 2025 is FY2025); lower is better: 100/60.
    assert drought["value"] == 60.0
    assert drought["achievementPct"] == pytest.approx(100 / 60 * 100)
    assert board["complaints"]["counts"] == {"received": 1, "open": 1}
    assert board["projects"] == {"count": 1, "budgetAllocated": "1000000.00",
                                 "budgetDisbursed": "250000.00", "disbursementPct": 25.0,
                                 "meanProgressPct": 40.0}
    assert board["activeAlerts"] == [{"areaCode": "830101", "indicatorCode": "SAFE_WATER_PCT",
                                      "value": 60.0}]
    assert board["rankingIndicatorCode"] == "SAFE_WATER_PCT"
    assert [(c["rank"], c["area"]["code"], c["performance"]["achievementPct"],
             c["performance"]["status"]) for c in board["children"]] == [
        (1, "8302", 125.0, "ON_TRACK"), (2, "8301", 75.0, "AT_RISK"), (3, "8303", None, None)]


async def test_dashboard_statements_do_not_grow_with_the_tree(gateway: Gateway) -> None:
    await _situation(gateway)
    await _targets(gateway, [("SAFE_WATER_PCT", "TH", 80), ("DROUGHT_AFFECTED_HH", "TH", 100)])
    gateway.statements.reset()
    assert "errors" not in await gateway.query(DASHBOARD, {"area": "83", "rank": None})
    small = gateway.statements.count
    gateway.statements.reset()
    country = await gateway.query(DASHBOARD, {"area": "TH", "rank": None})
    assert "errors" not in country
    assert len(country["data"]["dashboard"]["children"]) == 77
    assert gateway.statements.count <= small <= 20


async def test_dashboard_and_figures_follow_the_access_policy(gateway: Gateway) -> None:
    await _situation(gateway)
    gateway.login("governor", areas=["83"], subject="governor-83")
    board = (await gateway.query(DASHBOARD, {"area": "83", "rank": None}))["data"]["dashboard"]
    assert len(board["indicators"]) == 2 and board["complaints"]["counts"]["received"] == 1
    # Another province: its province-level figures only, no districts, no complaints.
    other = (await gateway.query(DASHBOARD, {"area": "34", "rank": None}))["data"]["dashboard"]
    assert (other["children"], other["complaints"], other["projects"]) == ([], None, None)
    body = await gateway.query(DASHBOARD, {"area": "3401", "rank": None})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gateway.login("district_chief", areas=["8301"], subject="chief-8301")
    body = await gateway.query(DASHBOARD, {"area": "83", "rank": "SAFE_WATER_PCT"})
    board = body["data"]["dashboard"]
    # Outside their district a chief reads figures down to district level, not below.
    assert [c["area"]["code"] for c in board["children"]] == ["8302", "8301", "8303"]
    assert board["complaints"]["counts"]["received"] == 1  # their district's complaint only
    body = await gateway.query('{ area(code: "830201") { indicator(code: "SAFE_WATER_PCT", '
                               'period: "2026-03") { value } } }')
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gateway.login("partner", topics=["water"], subject="partner")
    body = await gateway.query(DASHBOARD, {"area": "83", "rank": None})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no topic: no dashboard


async def test_an_areas_performance_and_trend(gateway: Gateway) -> None:
    await _situation(gateway)
    body = await gateway.query("""{ area(code: "83") {
      performance(indicatorCode: "DROUGHT_AFFECTED_HH", fiscalYear: 2026) {
        value period target achievementPct status fiscalYearBE }
      indicator(code: "SAFE_WATER_PCT", period: "2026-03") {
        value target achievementPct status yearBE fiscalYear trend(last: 3) { period value } }
    } }""")
    area = body["data"]["area"]
    assert area["performance"] == {"value": 60.0, "period": "2026-03", "target": 100.0,
                                   "achievementPct": pytest.approx(100 / 60 * 100),
                                   "status": "ON_TRACK", "fiscalYearBE": 2569}
    water = area["indicator"]
    assert (water["value"], water["target"], water["achievementPct"], water["status"]) == (
        90.0, 80.0, 112.5, "ON_TRACK")
    assert (water["yearBE"], water["fiscalYear"]) == (2569, 2026)
    assert water["trend"] == [{"period": "2026-01", "value": None},
                              {"period": "2026-02", "value": 85.0},
                              {"period": "2026-03", "value": 90.0}]
    own = (await gateway.query(DASHBOARD, {"area": "8301", "rank": None}))["data"]["dashboard"]
    assert [(i["indicator"]["code"], i["target"]) for i in own["indicators"]] == [
        ("SAFE_WATER_PCT", 80.0)]
    # A district with no plan of its own reads the province's indicators (no targets).
    borrowed = (await gateway.query(DASHBOARD, {"area": "8303", "rank": None}))["data"][
        "dashboard"]
    assert [(i["indicator"]["code"], i["target"]) for i in borrowed["indicators"]] == [
        ("DROUGHT_AFFECTED_HH", None), ("SAFE_WATER_PCT", None)]
