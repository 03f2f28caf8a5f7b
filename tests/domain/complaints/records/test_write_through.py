"""Filing and moving a complaint through areagraph writes through to Damrongdhama first: the
ticket is the centre's; a refusal there is a refusal here and writes nothing; an answer lost on
the way is asked for again with the same idempotency key, and the centre files once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from areagraph.connectors.local.models import (
    AuditRecord,
    Complaint,
    ComplaintTransition,
    OutboxEvent,
)
from areagraph.core.settings import Settings
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.databases import BACKENDS
from tests.domain.complaints.records.centre import centre, move_at_centre, source_tickets

FILE = """mutation($phone: String!, $subject: String!) { fileComplaint(input: {
  channel: HOTLINE_1567, categoryCode: "water", areaCode: "340101", subject: $subject,
  complainantName: "สมชาย ใจดี", complainantPhone: $phone,
  complainantCitizenId: "1101700203451" }) {
  ticketNo status source dueAt receivedAt history { toStatus actor } } }"""
MOVE = """mutation($t: String!, $to: ComplaintStatus!, $agency: String, $note: String!) {
  transitionComplaint(ticketNo: $t, toStatus: $to, agencyCode: $agency, note: $note) {
    status assignedAgency { code } history { toStatus agencyCode actor note } } }"""
TABLES = (Complaint, ComplaintTransition, OutboxEvent, AuditRecord)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def source_options() -> dict[str, Any]:
    return {"timeout": 1.0}  # a lost answer is given up on soon


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"complaint_system": "damrongdhama"})


def at_source(sims: Simulators, ticket_no: str) -> dict[str, Any]:
    answer: dict[str, Any] = centre(sims, "GET", f"/api/v2/tickets/{ticket_no}").json()
    return answer


def filed_at_source(sims: Simulators, subject: str) -> list[dict[str, Any]]:
    return [t for t in source_tickets(sims, "340101", ("2020-01-01", "2030-12-31"))
            if t["subject"] == subject]


async def counts(gateway: Gateway) -> dict[str, int]:
    async with gateway.services.database.engine.connect() as conn:
        return {t.__name__: (await conn.execute(select(func.count()).select_from(t)))
                .scalar_one() for t in TABLES}


async def logged_filings(sims: Simulators, expected: int) -> list[dict[str, Any]]:
    """The filing calls in the simulator's log (a held call is logged when it lets go)."""
    for _ in range(100):
        posts = [c for c in sims.calls("damrongdhama") if c["path"] == "/api/v2/tickets"]
        if len(posts) >= expected:
            break
        await asyncio.sleep(0.05)
    return posts


async def file(gateway: Gateway, subject: str, phone: str = "0812345678") -> dict[str, Any]:
    return await gateway.query(FILE, {"phone": phone, "subject": subject})


async def test_filing_and_moving_write_through_to_the_centre(
        gateway: Gateway, sims: Simulators) -> None:
    gateway.login("complaint_officer", areas=["34"], subject="officer-34")
    body = await file(gateway, "น้ำประปาไม่ไหลทั้งหมู่บ้าน")
    assert "errors" not in body, body
    filed = body["data"]["fileComplaint"]
    ticket = filed["ticketNo"]
    assert ticket.startswith("DD340101-") and filed["source"] == "damrongdhama"
    held = at_source(sims, ticket)
    assert held["status"] == "received" and held["history"][0]["by"] == "officer-34"
    assert held["complainant"]["phone"] == "0812345678"
    assert filed["history"] == [{"toStatus": "RECEIVED", "actor": "officer-34"}]

    for step, agency, note in (("ACCEPTED", None, ""), ("ASSIGNED", "PWA", "")):
        moved = await gateway.query(MOVE, {"t": ticket, "to": step, "agency": agency,
                                           "note": note})
        assert "errors" not in moved, moved
    after = moved["data"]["transitionComplaint"]
    held = at_source(sims, ticket)
    assert held["status"] == "assigned" and held["agency"] == "PWA"
    assert [h["toStatus"].lower() for h in after["history"]] == [
        h["status"] for h in held["history"]] == ["received", "accepted", "assigned"]
    assert after["assignedAgency"] == {"code": "PWA"}


async def test_a_refused_filing_writes_nothing_and_answers_the_centres_reason(
        gateway: Gateway, sims: Simulators) -> None:
    before = await counts(gateway)
    body = await file(gateway, "เบอร์ผิด", phone="12")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SOURCE_REFUSED"
    assert error["extensions"]["reason"] == "invalid_phone"
    assert error["extensions"]["source"] == "damrongdhama"
    assert "หมายเลขโทรศัพท์" in error["message"]
    assert body["data"] is None
    assert await counts(gateway) == before
    assert filed_at_source(sims, "เบอร์ผิด") == []


async def test_a_refused_move_changes_nothing_here(gateway: Gateway, sims: Simulators) -> None:
    ticket = (await file(gateway, "ถนนชำรุด"))["data"]["fileComplaint"]["ticketNo"]
    # Someone at the centre rejects it meanwhile; areagraph still thinks it is received.
    move_at_centre(sims, ticket, "centre-1", status="rejected", note="ซ้ำ")
    before = await counts(gateway)
    body = await gateway.query(MOVE, {"t": ticket, "to": "ACCEPTED", "agency": None,
                                      "note": ""})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SOURCE_REFUSED"
    assert error["extensions"]["reason"] == "illegal_transition"
    assert "rejected" in error["message"]
    assert await counts(gateway) == before
    kept = await gateway.query('query($t: String!) { complaint(ticketNo: $t) { status } }',
                               {"t": ticket})
    assert kept["data"]["complaint"]["status"] == "RECEIVED"


async def test_a_lost_answer_is_asked_again_with_the_same_key_and_files_once(
        gateway: Gateway, sims: Simulators) -> None:
    sims.faults("damrongdhama", mode="answer_lost", times=1)
    body = await file(gateway, "ไฟฟ้าดับบ่อย")
    assert "errors" not in body, body
    posts = await logged_filings(sims, 2)
    assert len(posts) == 2 and posts[0]["body"] == posts[1]["body"]  # the same filing, twice
    held = filed_at_source(sims, "ไฟฟ้าดับบ่อย")
    assert [t["ticket_no"] for t in held] == [body["data"]["fileComplaint"]["ticketNo"]]
    async with gateway.services.database.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(Complaint).where(
            col(Complaint.subject) == "ไฟฟ้าดับบ่อย"))).scalar_one() == 1


def test_the_centre_files_once_per_idempotency_key(sims: Simulators) -> None:
    filing = {"area_code": "340101", "category": "land", "subject": "รุกล้ำที่ดิน",
              "complainant": {"name": "มาลี ศรีสุข"}, "by": "test"}
    first = centre(sims, "POST", "/api/v2/tickets", "k-1", filing)
    again = centre(sims, "POST", "/api/v2/tickets", "k-1", filing)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = centre(sims, "POST", "/api/v2/tickets", "k-1", {**filing, "subject": "อื่น"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert len(filed_at_source(sims, "รุกล้ำที่ดิน")) == 1
    assert centre(sims, "POST", "/api/v2/tickets", json=filing).status_code == 422  # no key
