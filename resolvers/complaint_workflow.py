"""What the complaint workflow fields do: file, move through the states, count per area."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from areagraph.auth.policy import Capability, can_read_record, can_write, require
from areagraph.connectors.damrongdhama import DamrongdhamaConnector
from areagraph.connectors.local import alerts, complaint_sync, complaints
from areagraph.connectors.local import complaint_workflow as store
from areagraph.connectors.local.complaint_events import complaint_event
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.area_codes import depth_of
from areagraph.core.clock import utcnow
from areagraph.core.errors import BadUserInput, Conflict, Forbidden, NotFound, SourceBadResponse
from areagraph.core.validation import ascii_digits
from areagraph.domain.complaints.records import complaint_system, filing, local_form
from areagraph.domain.complaints.states import IllegalTransition, check_transition
from areagraph.domain.complaints.stats import Summary, summarize
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants
from areagraph.resolvers.write_audit import record_write

_CITIZEN_ID_DIGITS = 13


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


def _system(info: Info) -> DamrongdhamaConnector | None:
    services = info.context.services
    return complaint_system(services.sources, services.settings.complaint_system)


async def file_complaint(info: Info, new: NewComplaint) -> Any:
    principal = require(info.context.principal, Capability.WRITE_COMPLAINTS)
    loaders = info.context.loaders
    area = inputs.area_code(new.area_code, "areaCode")
    category = await loaders.category.load(new.category_code)
    if category is None:
        raise BadUserInput(f"unknown category {new.category_code!r}", argument="categoryCode")
    if await loaders.area.load(area) is None:
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
    system = _system(info)
    filed = None
    if system is not None:  # the system of record files it first; a refusal stops here
        answer = await system.file_ticket(filing(
            new.channel, category["code"], area, new.subject.strip(), new.detail, person,
            principal.subject), key=f"areagraph-file-{uuid.uuid4()}")
        filed, _ = local_form(answer, system.name, {category["code"]: category["sla_days"]})
    async with locked_unit_of_work(info.context.db, []) as session:
        if filed is not None and system is not None:
            await complaint_sync.store_one(session, system.name, filed)
            ticket, status = filed.ticket_no, str(filed.fields["status"])
        else:
            complaint = await store.file(session, {
                "channel": new.channel, "category_code": category["code"], "area_code": area,
                "subject": new.subject.strip(), "detail": new.detail,
                **{f"complainant_{k}": v for k, v in person.items()}},
                category["sla_days"], principal.subject)
            complaint_event(session, complaint, None)
            ticket, status = complaint.ticket_no, complaint.status
        alert_changes = await alerts.evaluate_overdue(session, area, utcnow())
        record_write(session, info, principal, [{
            "table": "complaint", "key": ticket, "before": None,
            "after": {"status": status, "category": category["code"], "area": area}},
            *alert_changes])
    return (await complaints.complaints_by_tickets(info.context.db, [ticket]))[ticket]


async def transition(info: Info, ticket_no: str, to_status: str, agency_code: str | None,
                     note: str, expected_status: str | None) -> Any:
    """Move a complaint one step; every illegal move is refused and nothing changes."""
    principal = require(info.context.principal, Capability.WRITE_COMPLAINTS)
    if agency_code is not None and await info.context.loaders.agency.load(agency_code) is None:
        raise BadUserInput(f"unknown agency {agency_code!r}", argument="agencyCode")
    async with locked_unit_of_work(info.context.db, [f"complaint:{ticket_no}"]) as session:
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
        system = _system(info)
        if system is not None and complaint.source == system.name:
            # Written through first: a refusal there raises and nothing changes here.
            answer = await system.move_ticket(ticket_no, {
                "status": to_status, "agency": agency_code, "note": note.strip(),
                "by": principal.subject}, key=f"areagraph-move-{uuid.uuid4()}")
            moved, _ = local_form(answer, system.name, {
                complaint.category_code: (complaint.due_at - complaint.received_at).days})
            if moved is None:
                raise SourceBadResponse(f"{system.name} answered a ticket that cannot be "
                                        "placed", source=system.name, reason="unplaceable")
            await complaint_sync.store_one(session, system.name, moved)
        else:
            store.move(session, complaint, to_status, agency_code, note.strip(),
                       principal.subject)
            complaint_event(session, complaint, previous)
        alert_changes = await alerts.evaluate_overdue(session, complaint.area_code, utcnow())
        record_write(session, info, principal, [{
            "table": "complaint", "key": ticket_no, "before": previous, "after": to_status,
            **({"agency": agency_code} if agency_code else {})}, *alert_changes])
    return (await complaints.complaints_by_tickets(info.context.db, [ticket_no]))[ticket_no]


async def complaint(info: Info, ticket_no: str) -> Any | None:
    """One complaint by ticket; null when unknown or outside the caller's reach."""
    principal = require(info.context.principal, Capability.COMPLAINTS)
    row = (await complaints.complaints_by_tickets(info.context.db, [ticket_no])).get(ticket_no)
    if row is None or not can_read_record(principal, Capability.COMPLAINTS, [row["area_code"]],
                                          row["assigned_agency_code"]):
        return None
    return row


async def statistics(info: Info, area_code: str, fiscal_year: int | None) -> Statistics:
    """Counts for the area's subtree (as far as the caller may see), by category and child."""
    area = inputs.area_code(area_code, "areaCode")
    year = inputs.fiscal_year(fiscal_year)
    grants = scoped_grants(info, Capability.COMPLAINTS, area)
    child_length = depth_of(area) + 2
    grouped = await store.cases(info.context.db, grants, year, child_length)
    now = utcnow()
    every = [case for items in grouped.values() for case in items]
    by_category: dict[str, list[Any]] = defaultdict(list)
    for category, case in every:
        by_category[category].append(case)
    return Statistics(
        area_code=area, fiscal_year=year, summary=summarize((c for _, c in every), now),
        by_category={k: summarize(v, now) for k, v in sorted(by_category.items())},
        children={k: summarize((c for _, c in v), now) for k, v in sorted(grouped.items())},
    )


MAX_SLA_DAYS = 365


async def set_sla(info: Info, code: str, days: int) -> Any:
    """Configure a category's service level: a ministry-wide setting, so country-wide writers."""
    principal = require(info.context.principal, Capability.WRITE_COMPLAINTS)
    if not 1 <= days <= MAX_SLA_DAYS:
        raise BadUserInput(f"a service level is 1 to {MAX_SLA_DAYS} days", argument="slaDays")
    if not can_write(principal, Capability.WRITE_COMPLAINTS, "TH"):
        raise Forbidden("only country-wide complaint managers set service levels")
    async with locked_unit_of_work(info.context.db, [f"category:{code}"]) as session:
        before = await store.set_sla(session, code, days)
        if before is None:
            raise NotFound(f"no complaint category {code!r}", argument="code")
        record_write(session, info, principal, [{"table": "complaint_category", "key": code,
                                                 "before": before, "after": days}])
    found = {r["code"]: r for r in await store.categories(info.context.db)}
    return found[code]


async def categories(info: Info) -> list[Any]:
    return await store.categories(info.context.db)
