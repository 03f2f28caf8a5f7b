"""The write side of the access matrix: role × area relation × every mutation, over HTTP.

Expectations are written out from the policy table (README), not computed from `auth.policy`.
Each cell writes to its own records, so one cell's success cannot change another's answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from areagraph.connectors.local.models import Complaint, Project, ProjectArea
from tests.auth.test_policy_matrix import CALLERS as READ_CALLERS
from tests.auth.test_policy_matrix import RELATIONS, Caller, walk_matrix
from tests.conftest import Gateway

# The department officer works for DDPM here so that figures, projects and complaints of its
# own agency exist in every area of the matrix.
CALLERS: dict[str, Caller] = {
    **READ_CALLERS,
    "department_officer": Caller(roles=("department_officer",), agency="DDPM"),
}

_LEVEL_INDICATOR = {  # an indicator that accepts figures at each level, and a period for it
    2: ("LAO_DRR_STRATEGY_PCT", "FY2026"),  # DLA's
    4: ("FLOOD_WATER_LEVEL_M", "2026-03"),  # DDPM's
    6: ("FLOOD_AFFECTED_HH", "2026-03"),  # DDPM's
}


def _record(area: str, _cell: str) -> str:
    indicator, period = _LEVEL_INDICATOR.get(len(area), ("LAO_DRR_STRATEGY_PCT", "FY2026"))
    return (f'mutation {{ r: recordObservations(input: [{{indicatorCode: "{indicator}", '
            f'areaCode: "{area}", period: "{period}", value: 2}}]) '
            "{ accepted errors { reason } } }")


MUTATIONS: dict[str, Any] = {
    "recordObservations": _record,
    "setTargets": lambda a, c: (
        f'mutation {{ r: setTargets(input: [{{indicatorCode: "FLOOD_AFFECTED_HH", '
        f'areaCode: "{a}", fiscalYear: 2027, value: 10}}]) {{ value }} }}'),
    "createProject": lambda a, c: (
        f'mutation {{ r: createProject(input: {{code: "N-{c}", titleTh: "ขุดลอกคลอง", '
        'titleEn: "Dredging", agencyCode: "DDPM", strategy: "flood", fiscalYear: 2027, '
        'budgetAllocated: "1000000", startDate: "2026-10-01", endDate: "2027-09-30", '
        f'areaCodes: ["{a}"]}}) {{ code }} }}'),
    "updateProjectProgress": lambda a, c: (
        f'mutation {{ r: updateProjectProgress(code: "U-{c}", progressPct: 40) {{ code }} }}'),
    "fileComplaint": lambda a, c: (
        'mutation { r: fileComplaint(input: {channel: WEB, categoryCode: "water", '
        f'areaCode: "{a}", subject: "น้ำไม่ไหล", complainantName: "มาลี ศรีสุข"}}) '
        "{ ticketNo } }"),
    "transitionComplaint": lambda a, c: (
        f'mutation {{ r: transitionComplaint(ticketNo: "T-{c}", toStatus: IN_PROGRESS) '
        "{ status } }"),
    "setComplaintCategorySla": lambda a, c: (
        'mutation { r: setComplaintCategorySla(code: "water", slaDays: 20) { slaDays } }'),
    "createAlertRule": lambda a, c: (
        f'mutation {{ r: createAlertRule(name: "rule {c}", indicatorCode: "FLOOD_AFFECTED_HH", '
        f'comparator: GT, threshold: 100, areaCode: "{a}") {{ id }} }}'),
    "createApiKey": lambda a, c: (
        f'mutation {{ r: createApiKey(input: {{name: "key {c}", roles: ["partner"]}}) '
        "{ apiKey { id } } }"),
    "revokeApiKey": lambda a, c: 'mutation { r: revokeApiKey(id: "REVOKE") { id } }',
}

ALL, NONE = "YYYYY", "NNNNN"
_ONLY_ADMIN = dict.fromkeys(MUTATIONS, NONE)
# Y done, N refused, V refused as invalid input (no level of that area takes the figure).
# Columns: own, child, parent, other, other_child (see test_policy_matrix.CALLERS for areas).
EXPECTED: dict[str, dict[str, str]] = {
    "anonymous": _ONLY_ADMIN,
    "ministry_admin": {**dict.fromkeys(MUTATIONS, ALL)},
    "executive": _ONLY_ADMIN,
    "auditor": _ONLY_ADMIN,
    "partner": _ONLY_ADMIN,
    "governor": {**_ONLY_ADMIN, "recordObservations": "YYVNN", "setTargets": "YYNNN",
                 "createProject": "YYNNN", "updateProjectProgress": "YYNNN",
                 "fileComplaint": "YYNNN", "transitionComplaint": "YYNNN",
                 "createAlertRule": "YYNNN"},
    "district_chief": {**_ONLY_ADMIN, "recordObservations": "YYNNN", "setTargets": "YYNNN",
                       "createProject": "YYNNN", "updateProjectProgress": "YYNNN",
                       "fileComplaint": "YYNNN", "transitionComplaint": "YYNNN"},
    "department_officer": {**_ONLY_ADMIN, "recordObservations": "YYNYY", "setTargets": ALL,
                           "createProject": ALL, "updateProjectProgress": ALL,
                           "transitionComplaint": ALL},
    "complaint_officer": {**_ONLY_ADMIN, "fileComplaint": "YYNNN",
                          "transitionComplaint": "YYNNN"},
}


def _cell(role: str, relation: str) -> str:
    return f"{role[:6]}-{relation}"


async def _seed(gateway: Gateway) -> None:
    """A DDPM project and an assigned DDPM complaint per cell, in that cell's area."""
    now = datetime.now(UTC)
    async with gateway.services.database.unit_of_work() as session:
        for role, caller in CALLERS.items():
            for relation, area in zip(RELATIONS, caller.home, strict=True):
                cell = _cell(role, relation)
                await session.execute(insert(Project).values(
                    code=f"U-{cell}", title_th="โครงการ", title_en="Project", agency_code="DDPM",
                    strategy="s", fiscal_year=2026, budget_allocated=Decimal(1000),
                    budget_disbursed=Decimal(0), status="in_progress", progress_pct=10.0,
                    start_date=now.date(), end_date=now.date() + timedelta(days=30),
                    updated_at=now))
                await session.execute(insert(ProjectArea).values(project_code=f"U-{cell}",
                                                                 area_code=area))
                await session.execute(insert(Complaint).values(
                    ticket_no=f"T-{cell}", channel="web", category_code="water",
                    area_code=area, subject="น้ำไม่ไหล", status="assigned", received_at=now,
                    due_at=now + timedelta(days=15), assigned_agency_code="DDPM",
                    complainant_name="สมชาย ใจดี", complainant_phone="0812345678",
                    complainant_citizen_id="1101700203451", updated_at=now))


def _outcome(mutation: str, body: dict[str, Any]) -> str:
    errors = body.get("errors") or []
    codes = {e.get("extensions", {}).get("code") for e in errors}
    if codes & {"FORBIDDEN", "UNAUTHENTICATED"}:
        return "N"
    if mutation == "recordObservations" and not errors:
        result = body["data"]["r"]
        if result["accepted"]:
            return "Y"
        reasons = [e["reason"] for e in result["errors"]]
        return "N" if all(r.startswith("forbidden") for r in reasons) else f"V {reasons}"
    if mutation == "revokeApiKey" and codes == {"NOT_FOUND"}:
        return "Y"  # allowed to ask; the key does not exist
    if mutation in ("transitionComplaint", "updateProjectProgress") and codes == {"NOT_FOUND"}:
        return "N"  # a complaint or project out of reach is not even admitted to exist
    rows = [r for e in errors for r in e.get("extensions", {}).get("rows", [])]
    if rows and all(r["reason"].startswith("forbidden") for r in rows):
        return "N"  # refused row by row (setTargets), nothing saved
    return "Y" if not errors else f"? {errors}"


async def test_every_mutation_cell(gateway: Gateway) -> None:
    await _seed(gateway)
    mismatches = await walk_matrix(gateway, CALLERS, MUTATIONS, _outcome, EXPECTED)
    assert not mismatches, "\n".join(mismatches)


async def test_every_mutation_has_a_row(gateway: Gateway) -> None:
    body = await gateway.query("{ __schema { mutationType { fields { name } } } }")
    names = {f["name"] for f in body["data"]["__schema"]["mutationType"]["fields"]}
    assert names == set(MUTATIONS), names ^ set(MUTATIONS)


async def test_refused_writes_write_nothing(gateway: Gateway) -> None:
    await _seed(gateway)
    gateway.login("district_chief", ["3401"], subject="chief")
    before = await gateway.query('{ complaint(ticketNo: "T-govern-other") { status } }')
    refused = await gateway.query(MUTATIONS["transitionComplaint"]("10", "govern-other"))
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # not even admitted
    gateway.login("ministry_admin", subject="admin")
    after = await gateway.query('{ complaint(ticketNo: "T-govern-other") { status } '
                                'auditLog(subject: "chief") { totalCount } }')
    assert after["data"]["complaint"] == {"status": "ASSIGNED"}
    assert after["data"]["auditLog"]["totalCount"] == 0
    assert before["data"]["complaint"] is None  # the chief could not even see it
