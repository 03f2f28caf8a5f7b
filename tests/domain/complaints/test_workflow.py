"""The Damrongdhama workflow over HTTP: legal paths, refused moves, history, statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from areagraph.connectors.local.models import Complaint
from areagraph.domain.alerts.evaluation import sweep_overdue
from areagraph.domain.complaints.states import OPEN
from tests.conftest import Gateway
from tests.domain.helpers import count_rows, rows_of

COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]

FILE = """mutation($area: String!, $category: String!) { fileComplaint(input: {
  channel: HOTLINE_1567, categoryCode: $category, areaCode: $area,
  subject: "น้ำประปาไม่ไหล", complainantName: "สมชาย ใจดี", complainantPhone: "0812345678",
  complainantCitizenId: "1101700203451" }) { ticketNo status dueAt receivedAt } }"""

MOVE = """mutation($t: String!, $to: ComplaintStatus!, $agency: String, $note: String!,
  $expected: ComplaintStatus) {
  transitionComplaint(ticketNo: $t, toStatus: $to, agencyCode: $agency, note: $note,
                      expectedStatus: $expected) {
    status resolvedAt assignedAgency { code }
    history { fromStatus toStatus agencyCode actor note } } }"""


async def _file(gateway: Gateway, area: str = "830101", category: str = "water") -> str:
    body = await gateway.query(FILE, {"area": area, "category": category})
    assert "errors" not in body, body
    filed = body["data"]["fileComplaint"]
    received = datetime.fromisoformat(filed["receivedAt"])
    sla = {"water": 15, "land": 60}[category]
    assert datetime.fromisoformat(filed["dueAt"]) - received == timedelta(days=sla)
    assert filed["ticketNo"].startswith("1567-25")
    return str(filed["ticketNo"])


async def _move(gateway: Gateway, ticket: str, to: str, agency: str | None = None,
                note: str = "", expected: str | None = None) -> dict[str, Any]:
    return await gateway.query(MOVE, {"t": ticket, "to": to, "agency": agency, "note": note,
                                      "expected": expected})


async def test_a_complaint_goes_from_received_to_closed(gateway: Gateway) -> None:
    ticket = await _file(gateway)
    for to, agency in (("ACCEPTED", None), ("ASSIGNED", "PWA"), ("IN_PROGRESS", None),
                       ("RESOLVED", None), ("CLOSED", None)):
        body = await _move(gateway, ticket, to, agency, note=f"to {to.lower()}")
        assert "errors" not in body, body
    done = body["data"]["transitionComplaint"]
    assert done["status"] == "CLOSED" and done["resolvedAt"] is not None
    assert done["assignedAgency"] == {"code": "PWA"}
    assert [(h["fromStatus"], h["toStatus"], h["agencyCode"]) for h in done["history"]] == [
        (None, "RECEIVED", None), ("RECEIVED", "ACCEPTED", None), ("ACCEPTED", "ASSIGNED", "PWA"),
        ("ASSIGNED", "IN_PROGRESS", None), ("IN_PROGRESS", "RESOLVED", None),
        ("RESOLVED", "CLOSED", None)]
    assert {h["actor"] for h in done["history"]} == {"admin"}
    assert done["history"][2]["note"] == "to assigned"
    events = await rows_of(gateway, "SELECT kind FROM outbox_event")
    assert len(events) == 6 and {e["kind"] for e in events} == {"complaint_updated"}
    assert await count_rows(gateway, "audit_record") == 6


async def test_illegal_moves_are_refused_and_change_nothing(gateway: Gateway) -> None:
    ticket = await _file(gateway)
    for to in ("ASSIGNED", "IN_PROGRESS", "RESOLVED", "CLOSED", "RECEIVED"):
        body = await _move(gateway, ticket, to, "PWA", "note")
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", to
    body = await _move(gateway, ticket, "REJECTED")  # a rejection needs a reason
    assert body["errors"][0]["extensions"]["argument"] == "note"
    body = await _move(gateway, ticket, "ACCEPTED", expected="ASSIGNED")
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert (await _move(gateway, ticket, "REJECTED", note="not a matter for the centre"))[
        "data"]["transitionComplaint"]["status"] == "REJECTED"
    body = await _move(gateway, ticket, "ACCEPTED", note="changed our mind")
    assert "cannot become accepted" in body["errors"][0]["message"]
    assert await count_rows(gateway, "complaint_transition") == 2
    assert await count_rows(gateway, "audit_record") == 2  # filed and rejected


async def test_transitions_follow_the_access_policy(gateway: Gateway) -> None:
    ticket = await _file(gateway)
    await _move(gateway, ticket, "ACCEPTED")
    await _move(gateway, ticket, "ASSIGNED", "DOL")
    gateway.login("complaint_officer", areas=["10"], subject="bangkok-officer")
    body = await _move(gateway, ticket, "IN_PROGRESS")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    gateway.login("department_officer", agency="PWA", subject="pwa")
    body = await _move(gateway, ticket, "IN_PROGRESS")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # not assigned to PWA
    gateway.login("department_officer", agency="DOL", subject="dol")
    body = await _move(gateway, ticket, "IN_PROGRESS")
    assert body["data"]["transitionComplaint"]["status"] == "IN_PROGRESS"
    gateway.login("complaint_officer", areas=["83"], subject="phuket-officer")
    body = await gateway.query(FILE, {"area": "100101", "category": "water"})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


STATS = """query($area: String!) { complaintStatistics(areaCode: $area) {
  counts { received open resolved rejected overdue resolvedLate medianDaysToResolve }
  byCategory { categoryCode counts { received } }
  byChildArea { areaCode counts { received overdue } } } }"""


async def test_statistics_per_area(gateway: Gateway) -> None:
    tickets = [await _file(gateway, area) for area in ("830101", "830101", "830201", "830201")]
    await _file(gateway, "830101", "land")
    now = datetime.now(UTC)
    async with gateway.services.database.unit_of_work() as session:
        # Backdate: two cases were received 20 days ago (past the 15-day water SLA).
        for ticket in tickets[:2]:
            await session.execute(update(COMPLAINT).where(COMPLAINT.c.ticket_no == ticket)
                                  .values(received_at=now - timedelta(days=20),
                                          due_at=now - timedelta(days=5)))
    for ticket in tickets[1:3]:
        for to, agency in (("ACCEPTED", None), ("ASSIGNED", "PWA"), ("IN_PROGRESS", None),
                           ("RESOLVED", None)):
            assert "errors" not in await _move(gateway, ticket, to, agency)
    body = await gateway.query(STATS, {"area": "83"})
    stats = body["data"]["complaintStatistics"]
    counts = stats["counts"]
    assert (counts["received"], counts["open"], counts["resolved"]) == (5, 3, 2)
    assert (counts["overdue"], counts["resolvedLate"]) == (1, 1)
    # Resolved after 20 days (backdated) and after ~0 days: the median is about 10 days.
    assert 9.9 < counts["medianDaysToResolve"] < 10.1
    assert {c["categoryCode"]: c["counts"]["received"] for c in stats["byCategory"]} == {
        "land": 1, "water": 4}
    assert {c["areaCode"]: c["counts"]["received"] for c in stats["byChildArea"]} == {
        "8301": 3, "8302": 2}
    gateway.login("governor", areas=["34"], subject="governor-34")
    body = await gateway.query(STATS, {"area": "83"})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_fiscal_years_begin_at_midnight_bangkok_time(gateway: Gateway) -> None:
    last_of_fy2025 = datetime(2025, 9, 30, 16, 59, 59, tzinfo=UTC)  # 23:59:59 on 30 Sep, BKK
    first_of_fy2026 = datetime(2025, 9, 30, 17, 0, 0, tzinfo=UTC)  # 00:00 on 1 Oct, BKK
    for moment in (last_of_fy2025, first_of_fy2026):
        ticket = await _file(gateway)
        async with gateway.services.database.unit_of_work() as session:
            await session.execute(update(COMPLAINT).where(COMPLAINT.c.ticket_no == ticket)
                                  .values(received_at=moment))
    query = """query($fy: Int) { complaintStatistics(areaCode: "83", fiscalYear: $fy) {
      counts { received } } }"""
    found = {fy: (await gateway.query(query, {"fy": fy}))["data"]["complaintStatistics"][
        "counts"]["received"] for fy in (2025, 2026)}
    assert found == {2025: 1, 2026: 1}


async def test_overdue_complaints_raise_alerts(gateway: Gateway) -> None:
    rule = await gateway.query("""mutation { createAlertRule(
      name: "ค้างเกินกำหนดเกิน 1 เรื่อง", indicatorCode: "COMPLAINTS_OVERDUE", areaCode: "83",
      comparator: GT, threshold: 1) { id } }""")
    assert "errors" not in rule
    late, later = await _file(gateway, category="land"), await _file(gateway, category="land")
    async with gateway.services.database.unit_of_work() as session:
        await session.execute(update(COMPLAINT).values(
            due_at=datetime.now(UTC) - timedelta(days=1)))
    await _move(gateway, late, "ACCEPTED")  # re-counted when a case moves: 2 overdue
    alerts = """{ alerts(areaCode: "83") { edges { node { areaCode value status } } } }"""
    found = (await gateway.query(alerts))["data"]["alerts"]["edges"]
    assert sorted((e["node"]["areaCode"], e["node"]["value"], e["node"]["status"])
                  for e in found) == [("83", 2.0, "ACTIVE"), ("8301", 2.0, "ACTIVE")]
    await _move(gateway, later, "REJECTED", note="outside the centre's remit")  # 1 overdue
    found = (await gateway.query(alerts))["data"]["alerts"]["edges"]
    assert {e["node"]["status"] for e in found} == {"CLEARED"}


async def test_complaints_that_become_overdue_with_time_raise_alerts(gateway: Gateway) -> None:
    await gateway.query("""mutation { createAlertRule(name: "overdue", areaCode: "83",
      indicatorCode: "COMPLAINTS_OVERDUE", comparator: GT, threshold: 1) { id } }""")
    for _ in range(2):
        await _file(gateway, category="land")
    alerts = """{ alerts(areaCode: "83") { edges { node { areaCode value status } } } }"""
    assert (await gateway.query(alerts))["data"]["alerts"]["edges"] == []
    async with gateway.services.database.unit_of_work() as session:  # time passes: no write
        await session.execute(update(COMPLAINT).values(
            due_at=datetime.now(UTC) - timedelta(days=1)))
    assert await sweep_overdue(gateway.services.database, OPEN) == 2
    found = (await gateway.query(alerts))["data"]["alerts"]["edges"]
    assert sorted((e["node"]["areaCode"], e["node"]["value"], e["node"]["status"])
                  for e in found) == [("83", 2.0, "ACTIVE"), ("8301", 2.0, "ACTIVE")]
    assert await sweep_overdue(gateway.services.database, OPEN) == 0  # nothing new to raise


SLA = """mutation($days: Int!) { setComplaintCategorySla(code: "water", slaDays: $days) {
  code slaDays } }"""


async def test_service_levels_are_configurable(gateway: Gateway) -> None:
    before = await _file(gateway)  # 15 days, checked in _file
    body = await gateway.query(SLA, {"days": 3})
    assert body["data"]["setComplaintCategorySla"] == {"code": "water", "slaDays": 3}
    body = await gateway.query(FILE, {"area": "830101", "category": "water"})
    filed = body["data"]["fileComplaint"]
    assert datetime.fromisoformat(filed["dueAt"]) - datetime.fromisoformat(
        filed["receivedAt"]) == timedelta(days=3)
    kept = (await gateway.query("query($t: String!) { complaint(ticketNo: $t) { receivedAt "
                                "dueAt } }", {"t": before}))["data"]["complaint"]
    assert datetime.fromisoformat(kept["dueAt"]) - datetime.fromisoformat(
        kept["receivedAt"]) == timedelta(days=15)  # filed before the change: keeps its date
    assert (await gateway.query(SLA, {"days": 0}))["errors"][0]["extensions"]["code"] == \
        "BAD_USER_INPUT"
    gateway.login("governor", areas=["83"], subject="governor-83")
    assert (await gateway.query(SLA, {"days": 5}))["errors"][0]["extensions"]["code"] == \
        "FORBIDDEN"
