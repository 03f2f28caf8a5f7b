"""Writes aimed at records out of reach answer exactly as for records that do not exist, so a
caller cannot learn which projects or complaints exist outside their scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from areagraph.connectors.local.models import Complaint, Project, ProjectArea
from tests.conftest import Gateway

PROGRESS = """mutation($code: String!) { updateProjectProgress(code: $code, progressPct: 40) {
  code progressPct } }"""
CREATE = """mutation($code: String!) { createProject(input: {code: $code, titleTh: "ขุดลอกคลอง",
  titleEn: "Dredging", agencyCode: "DLA", strategy: "s", fiscalYear: 2026,
  budgetAllocated: "1000", startDate: "2025-10-01", endDate: "2026-09-30",
  areaCodes: ["3401"], indicatorCodes: [], milestones: []}) { code } }"""
MOVE = """mutation($ticket: String!) { transitionComplaint(ticketNo: $ticket, toStatus: ACCEPTED,
  note: "รับเรื่อง") { status } }"""


async def _seed(gateway: Gateway) -> None:
    now = datetime.now(UTC)
    async with gateway.services.database.unit_of_work() as session:
        for code, agency, areas in (("P-OWN", "DLA", ["340101"]), ("P-FAR", "DDPM", ["100101"]),
                                    ("P-SPAN", "DLA", ["340101", "100101"])):
            await session.execute(insert(Project).values(
                code=code, title_th="โครงการ", title_en="Project", agency_code=agency,
                strategy="s", fiscal_year=2026, budget_allocated=Decimal(1000),
                budget_disbursed=Decimal(0), status="in_progress", progress_pct=10.0,
                start_date=now.date(), end_date=now.date() + timedelta(days=30),
                updated_at=now))
            for area in areas:
                await session.execute(insert(ProjectArea).values(project_code=code,
                                                                 area_code=area))
        await session.execute(insert(Complaint).values(
            ticket_no="1567-FAR-1", channel="web", category_code="water", area_code="100101",
            subject="น้ำไม่ไหล", status="received", received_at=now,
            due_at=now + timedelta(days=15), complainant_name="สมชาย ใจดี",
            complainant_phone="0812345678", complainant_citizen_id="", updated_at=now))


def _answer(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The error as a client sees it, with the name it was asked about taken out."""
    assert body["data"] is None, body
    [error] = body["errors"]
    return {"message": error["message"].replace(name, "<name>"),
            "extensions": error["extensions"]}


async def _answers(gateway: Gateway, document: str, argument: str,
                   *names: str) -> list[dict[str, Any]]:
    return [_answer(await gateway.query(document, {argument: n}), n) for n in names]


async def test_progress_on_a_project_out_of_reach_answers_as_a_missing_one(
        gateway: Gateway) -> None:
    await _seed(gateway)
    gateway.login("district_chief", ["3401"], subject="chief-3401")
    far, missing = await _answers(gateway, PROGRESS, "code", "P-FAR", "P-NONE")
    assert far == missing and far["extensions"]["code"] == "NOT_FOUND"
    # one it may see but not change (an area outside its district) is refused as such
    span = await gateway.query(PROGRESS, {"code": "P-SPAN"})
    assert span["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    own = await gateway.query(PROGRESS, {"code": "P-OWN"})
    assert own["data"]["updateProjectProgress"] == {"code": "P-OWN", "progressPct": 40.0}

    gateway.login("department_officer", agency="PWA", subject="pwa")
    assert await _answers(gateway, PROGRESS, "code", "P-OWN") == [missing]


async def test_a_taken_project_code_answers_alike_in_and_out_of_reach(gateway: Gateway) -> None:
    await _seed(gateway)
    gateway.login("district_chief", ["3401"], subject="chief-3401")
    far, own = await _answers(gateway, CREATE, "code", "P-FAR", "P-OWN")
    assert far == own and far["extensions"]["code"] == "CONFLICT"
    assert "DDPM" not in far["message"] and "1001" not in far["message"]
    created = await gateway.query(CREATE, {"code": "P-NEW"})
    assert created["data"]["createProject"] == {"code": "P-NEW"}


async def test_a_complaint_out_of_reach_answers_as_a_missing_one(gateway: Gateway) -> None:
    await _seed(gateway)
    gateway.login("complaint_officer", ["34"], subject="officer-34")
    far, missing = await _answers(gateway, MOVE, "ticket", "1567-FAR-1", "1567-NONE")
    assert far == missing and far["extensions"]["code"] == "NOT_FOUND"
