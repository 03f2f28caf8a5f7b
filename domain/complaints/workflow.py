"""Filing complaints, moving them through the workflow, their service levels, counts per area.

Plain functions over a `Desk` (the database, the audit recorder, the catalogue look-ups, the
system of record, the clock) and the caller's principal, so GraphQL, the CLI and tests run the
same flow. Area codes arrive already parsed by the caller.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.policy import Capability, Grant, can_read_record, can_write, require
from areagraph.auth.principal import Principal
from areagraph.connectors.damrongdhama import DamrongdhamaConnector
from areagraph.connectors.local.complaints import reads as complaints
from areagraph.connectors.local.complaints import workflow as store
from areagraph.connectors.local.complaints.events import complaint_event
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.area_codes import depth_of
from areagraph.core.clock import utcnow
from areagraph.core.errors import BadUserInput, Conflict, Forbidden, NotFound, SourceBadResponse
from areagraph.core.validation import ascii_digits
from areagraph.domain.complaints.records import filing, store_answer
from areagraph.domain.complaints.states import IllegalTransition, check_transition
from areagraph.domain.complaints.stats import Summary, summarize
from areagraph.domain.ports import AuditRecorder, Lookup

_CITIZEN_ID_DIGITS = 13
MAX_SLA_DAYS = 365


OverdueAlerts = Callable[[AsyncSession, str, datetime], Awaitable[list[dict[str, Any]]]]
"""Re-evaluates the overdue-complaint alerts of an area inside a write; the alert changes.
Alerts are another domain's rules, so the caller supplies them."""


@dataclass(frozen=True)
class Desk:
    """What the complaint flows work with, passed in by whoever runs them."""

    db: Database
    audit: AuditRecorder
    categories: Lookup
    areas: Lookup
    agencies: Lookup
    overdue_alerts: OverdueAlerts
    system: DamrongdhamaConnector | None = None  # the system of record, when one is set
    clock: Callable[[], datetime] = utcnow


@dataclass(frozen=True)
class NewComplaint:
    channel: str
    category_code: str
    area_code: str
    subject: str
    detail: str
    complainant_name: str
    complainant_phone: str
    complainant_citizen_id: str


@dataclass(frozen=True)
class Statistics:
    area_code: str
    fiscal_year: int | None
    summary: Summary
    by_category: dict[str, Summary]
    children: dict[str, Summary]


async def file_complaint(desk: Desk, principal: Principal | None, new: NewComplaint) -> Any:
    """File a complaint (at the system of record first, when there is one); its row."""
    principal = require(principal, Capability.WRITE_COMPLAINTS)
    area = new.area_code
    category = await desk.categories.load(new.category_code)
    if category is None:
        raise BadUserInput(f"unknown category {new.category_code!r}", argument="categoryCode")
    if await desk.areas.load(area) is None:
        raise BadUserInput(f"unknown area {area}", argument="areaCode")
    if not new.subject.strip():
        raise BadUserInput("a complaint needs a subject", argument="subject")
    citizen_id = new.complainant_citizen_id.strip()
    if citizen_id and (not ascii_digits(citizen_id) or len(citizen_id) != _CITIZEN_ID_DIGITS):
        raise BadUserInput("a Thai citizen ID has 13 digits", argument="complainantCitizenId")
    if not can_write(principal, Capability.WRITE_COMPLAINTS, area):
        raise Forbidden(f"you may not file complaints for area {area}", argument="areaCode")
    person = {"name": new.complainant_name.strip(), "phone": new.complainant_phone.strip(),
              "citizen_id": citizen_id}
    system, answer = desk.system, None
    if system is not None:  # the system of record files it first; a refusal stops here
        answer = await system.file_ticket(filing(
            new.channel, category["code"], area, new.subject.strip(), new.detail, person,
            principal.subject), key=f"areagraph-file-{uuid.uuid4()}")
    async with locked_unit_of_work(desk.db, []) as session:
        stored = None
        if system is not None and answer is not None:
            stored = await store_answer(session, system, answer,
                                         {category["code"]: category["sla_days"]})
        if stored is None:
            complaint = await store.file(session, {
                "channel": new.channel, "category_code": category["code"], "area_code": area,
                "subject": new.subject.strip(), "detail": new.detail,
                **{f"complainant_{k}": v for k, v in person.items()}},
                category["sla_days"], principal.subject, desk.clock())
            complaint_event(session, complaint, None)
            stored = complaint.ticket_no, complaint.status
        ticket, status = stored
        alert_changes = await desk.overdue_alerts(session, area, desk.clock())
        desk.audit(session, principal, [{
            "table": "complaint", "key": ticket, "before": None,
            "after": {"status": status, "category": category["code"], "area": area}},
            *alert_changes])
    return (await complaints.complaints_by_tickets(desk.db, [ticket]))[ticket]


async def transition(desk: Desk, principal: Principal | None, ticket_no: str, to_status: str,
                     agency_code: str | None, note: str, expected_status: str | None) -> Any:
    """Move a complaint one step; every illegal move is refused and nothing changes."""
    principal = require(principal, Capability.WRITE_COMPLAINTS)
    if agency_code is not None and await desk.agencies.load(agency_code) is None:
        raise BadUserInput(f"unknown agency {agency_code!r}", argument="agencyCode")
    async with locked_unit_of_work(desk.db, [f"complaint:{ticket_no}"]) as session:
        complaint = await store.for_update(session, ticket_no)
        if complaint is None or not can_read_record(principal, Capability.COMPLAINTS,
                                                    [complaint.area_code],
                                                    complaint.assigned_agency_code):
            raise NotFound(f"no complaint {ticket_no}", argument="ticketNo")
        if not can_write(principal, Capability.WRITE_COMPLAINTS, complaint.area_code,
                         agency=complaint.assigned_agency_code):
            raise Forbidden(f"you may not move complaint {ticket_no}", argument="ticketNo")
        if expected_status is not None and complaint.status != expected_status:
            raise Conflict(f"complaint {ticket_no} is {complaint.status}, not "
                           f"{expected_status}: someone moved it first",
                           argument="expectedStatus", status=complaint.status)
        try:
            check_transition(complaint.status, to_status, agency_code, note)
        except IllegalTransition as exc:
            raise BadUserInput(exc.reason, argument=exc.field, status=complaint.status) from None
        previous = complaint.status
        system = desk.system
        if system is not None and complaint.source == system.name:
            # Written through first: a refusal there raises and nothing changes here.
            answer = await system.move_ticket(ticket_no, {
                "status": to_status, "agency": agency_code, "note": note.strip(),
                "by": principal.subject}, key=f"areagraph-move-{uuid.uuid4()}")
            if await store_answer(session, system, answer, {
                    complaint.category_code: (complaint.due_at - complaint.received_at).days
            }) is None:
                raise SourceBadResponse(f"{system.name} answered a ticket that cannot be "
                                        "placed", source=system.name, reason="unplaceable")
        else:
            store.move(session, complaint, to_status, agency_code, note.strip(),
                       principal.subject, desk.clock())
            complaint_event(session, complaint, previous)
        alert_changes = await desk.overdue_alerts(session, complaint.area_code, desk.clock())
        desk.audit(session, principal, [{
            "table": "complaint", "key": ticket_no, "before": previous, "after": to_status,
            **({"agency": agency_code} if agency_code else {})}, *alert_changes])
    return (await complaints.complaints_by_tickets(desk.db, [ticket_no]))[ticket_no]


async def complaint(db: Database, principal: Principal | None, ticket_no: str) -> Any | None:
    """One complaint by ticket; None when unknown or outside the caller's reach."""
    principal = require(principal, Capability.COMPLAINTS)
    row = (await complaints.complaints_by_tickets(db, [ticket_no])).get(ticket_no)
    if row is None or not can_read_record(principal, Capability.COMPLAINTS, [row["area_code"]],
                                          row["assigned_agency_code"]):
        return None
    return row


async def statistics(db: Database, grants: Sequence[Grant], area: str, fiscal_year: int | None,
                     now: datetime) -> Statistics:
    """Counts for the area's subtree within `grants`, by category and by child area."""
    child_length = depth_of(area) + 2
    grouped = await store.cases(db, grants, fiscal_year, child_length)
    every = [case for items in grouped.values() for case in items]
    by_category: dict[str, list[Any]] = defaultdict(list)
    for category, case in every:
        by_category[category].append(case)
    return Statistics(
        area_code=area, fiscal_year=fiscal_year, summary=summarize((c for _, c in every), now),
        by_category={k: summarize(v, now) for k, v in sorted(by_category.items())},
        children={k: summarize((c for _, c in v), now) for k, v in sorted(grouped.items())},
    )


async def set_sla(desk: Desk, principal: Principal | None, code: str, days: int) -> Any:
    """Configure a category's service level: a ministry-wide setting, so country-wide writers."""
    principal = require(principal, Capability.WRITE_COMPLAINTS)
    if not 1 <= days <= MAX_SLA_DAYS:
        raise BadUserInput(f"a service level is 1 to {MAX_SLA_DAYS} days", argument="slaDays")
    if not can_write(principal, Capability.WRITE_COMPLAINTS, "TH"):
        raise Forbidden("only country-wide complaint managers set service levels")
    async with locked_unit_of_work(desk.db, [f"category:{code}"]) as session:
        before = await store.set_sla(session, code, days)
        if before is None:
            raise NotFound(f"no complaint category {code!r}", argument="code")
        desk.audit(session, principal, [{"table": "complaint_category", "key": code,
                                          "before": before, "after": days}])
    found = {r["code"]: r for r in await store.categories(desk.db)}
    return found[code]
