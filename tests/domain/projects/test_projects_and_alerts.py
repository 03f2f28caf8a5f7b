"""Project writes and alert rules over HTTP."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Gateway
from tests.domain.helpers import count_rows, record, row, rows_of

CREATE = """mutation($code: String!, $areas: [String!]!, $agency: String!) {
  createProject(input: {code: $code, titleTh: "ธนาคารน้ำใต้ดิน", titleEn: "Groundwater banks",
    agencyCode: $agency, strategy: "ยุทธศาสตร์ที่ 2 การบริหารจัดการน้ำ", fiscalYear: 2026,
    budgetAllocated: "1000000.00", startDate: "2025-10-01", endDate: "2026-09-30",
    areaCodes: $areas, indicatorCodes: ["DROUGHT_AFFECTED_HH"],
    milestones: [{name: "survey", dueDate: "2025-12-31"}]}) {
    code status progressPct budgetAllocated budgetDisbursed fiscalYearBE
    areas { code } indicators { code } milestones { name status } } }"""

PROGRESS = """mutation($code: String!, $pct: Float, $paid: Decimal, $status: ProjectStatus,
  $steps: [MilestoneStatusInput!]) {
  updateProjectProgress(code: $code, progressPct: $pct, budgetDisbursed: $paid,
    status: $status, milestones: $steps) {
    status progressPct budgetDisbursed milestones { name status } } }"""


async def create(gateway: Gateway, code: str = "P2026-LOCAL-1", areas: list[str] | None = None,
                 agency: str = "DLA") -> dict[str, Any]:
    return await gateway.query(CREATE, {"code": code, "areas": areas or ["8301", "830101"],
                                        "agency": agency})


async def test_projects_are_created_and_progress_recorded(gateway: Gateway) -> None:
    body = await create(gateway)
    assert body["data"]["createProject"] == {
        "code": "P2026-LOCAL-1", "status": "PLANNED", "progressPct": 0.0,
        "budgetAllocated": "1000000.00", "budgetDisbursed": "0.00", "fiscalYearBE": 2569,
        "areas": [{"code": "8301"}, {"code": "830101"}],
        "indicators": [{"code": "DROUGHT_AFFECTED_HH"}],
        "milestones": [{"name": "survey", "status": "pending"}]}
    assert (await create(gateway))["errors"][0]["extensions"]["code"] == "CONFLICT"
    body = await gateway.query(PROGRESS, {"code": "P2026-LOCAL-1", "pct": 40, "paid": "250000",
                                          "status": "IN_PROGRESS",
                                          "steps": [{"name": "survey", "status": "done"}]})
    assert body["data"]["updateProjectProgress"] == {
        "status": "IN_PROGRESS", "progressPct": 40.0, "budgetDisbursed": "250000.00",
        "milestones": [{"name": "survey", "status": "done"}]}
    too_much = await gateway.query(PROGRESS, {"code": "P2026-LOCAL-1", "paid": "1000000.01"})
    assert too_much["errors"][0]["extensions"]["argument"] == "budgetDisbursed"
    assert (await gateway.query(PROGRESS, {"code": "P2026-LOCAL-1", "pct": 101}))[
        "errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    changes = await rows_of(gateway, "SELECT kind FROM outbox_event")
    assert [c["kind"] for c in changes] == ["project_updated"] * 2
    assert await count_rows(gateway, "audit_record") == 2


async def test_project_writes_follow_the_access_policy(gateway: Gateway) -> None:
    gateway.login("district_chief", areas=["8301"], subject="chief-8301")
    assert (await create(gateway, areas=["8301", "8302"]))["errors"][0]["extensions"][
        "code"] == "FORBIDDEN"
    assert "errors" not in await create(gateway, code="P-8301")
    gateway.login("department_officer", agency="PWA", subject="pwa")
    assert (await gateway.query(PROGRESS, {"code": "P-8301", "pct": 10}))["errors"][0][
        "extensions"]["code"] == "NOT_FOUND"  # another agency's project is not admitted
    gateway.login("department_officer", agency="DLA", subject="dla")
    assert "errors" not in await gateway.query(PROGRESS, {"code": "P-8301", "pct": 10})
    assert await count_rows(gateway, "project") == 1


RULE = """mutation($area: String!) { createAlertRule(name: "ภัยแล้ง: เกิน 25 ครัวเรือน",
  indicatorCode: "DROUGHT_AFFECTED_HH", areaCode: $area, comparator: GT, threshold: 25,
  severity: CRITICAL) { id comparator threshold severity } }"""

ALERTS = """query($area: String, $status: AlertStatus) { alerts(areaCode: $area, status: $status) {
  totalCount edges { node { ruleName areaCode period value status clearedAt } } } }"""


async def test_alerts_are_raised_and_cleared_when_figures_arrive(gateway: Gateway) -> None:
    body = await gateway.query(RULE, {"area": "83"})
    assert body["data"]["createAlertRule"]["comparator"] == "GT"
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 30),
                           row("DROUGHT_AFFECTED_HH", "830201", "2026-03", 20),
                           row("DROUGHT_AFFECTED_HH", "340101", "2026-03", 90)])  # outside 83
    active = (await gateway.query(ALERTS, {"area": "83", "status": "ACTIVE"}))["data"]["alerts"]
    assert active["totalCount"] == 1
    assert active["edges"][0]["node"] == {"ruleName": "ภัยแล้ง: เกิน 25 ครัวเรือน",
                                          "areaCode": "830101", "period": "2026-03",
                                          "value": 30.0, "status": "ACTIVE", "clearedAt": None}
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-02", 10)])  # older: stays
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 12)])  # corrected
    cleared = (await gateway.query(ALERTS, {"area": "8301"}))["data"]["alerts"]
    assert [(e["node"]["status"], e["node"]["value"]) for e in cleared["edges"]] == [
        ("CLEARED", 30.0)]
    assert cleared["edges"][0]["node"]["clearedAt"] is not None
    events = await rows_of(gateway, "SELECT area_code, payload FROM outbox_event "
                                    "WHERE kind = 'alert_raised' ORDER BY id")
    assert [(e["area_code"], _status(e["payload"])) for e in events] == [
        ("830101", "active"), ("830101", "cleared")]
    gateway.login("governor", areas=["34"], subject="governor-34")
    assert (await gateway.query(ALERTS, {"area": "83"}))["errors"][0]["extensions"][
        "code"] == "FORBIDDEN"
    assert (await gateway.query(RULE, {"area": "83"}))["errors"][0]["extensions"][
        "code"] == "FORBIDDEN"
    rules = await gateway.query('{ alertRules { areaCode } }')
    assert rules["data"]["alertRules"] == []


def _status(payload: Any) -> str:
    doc = json.loads(payload) if isinstance(payload, str) else payload
    return str(doc["status"])
