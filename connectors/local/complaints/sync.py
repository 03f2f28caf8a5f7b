"""Bring the local complaint store in line with the system of record, or say how it differs.

The tickets arrive already placed on today's map (`SourceComplaint`); this module compares them
with the rows held for the same window, reports the drift, and, when asked, repairs it in one
transaction: new tickets inserted, changed ones rewritten with their whole history, tickets the
source no longer holds removed, each change an outbox event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.complaints.events import complaint_event
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Complaint, ComplaintTransition
from areagraph.connectors.local.paging import subtree
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.clock import utcnow

_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
_TRANSITION = ComplaintTransition.__table__  # type: ignore[attr-defined]
_CHUNK = 500
_COMPARED = ("channel", "category_code", "area_code", "subject", "detail", "status",
             "assigned_agency_code", "complainant_name", "complainant_phone",
             "complainant_citizen_id", "received_at", "due_at", "resolved_at",
             "source_area_code")


@dataclass(frozen=True)
class SourceStep:
    to_status: str
    at: datetime
    actor: str
    agency_code: str | None
    note: str


@dataclass(frozen=True)
class SourceComplaint:
    """A ticket of the system of record as a local row would hold it."""

    fields: dict[str, Any]  # the complaint columns, ticket_no included
    steps: tuple[SourceStep, ...]

    @property
    def ticket_no(self) -> str:
        return str(self.fields["ticket_no"])


@dataclass(frozen=True)
class Window:
    """Which local rows the source's answer covers: received in [start, end) inside areas
    (`TH` for all), by today's area or the code the source named."""

    source: str
    area_prefixes: tuple[str, ...]
    start: datetime
    end: datetime


@dataclass
class Drift:
    missing_here: list[str] = field(default_factory=list)
    differing: dict[str, list[str]] = field(default_factory=dict)  # ticket → fields
    gone_at_source: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.missing_here or self.differing or self.gone_at_source)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) or isinstance(b, datetime):
        return _utc(a) == _utc(b)
    return bool(a == b)


def _step_key(step: Any) -> tuple[Any, ...]:
    return (step["to_status"], _utc(step["at"]), step["actor"], step["agency_code"],
            step["note"])


def _as_row(step: SourceStep) -> dict[str, Any]:
    return {"to_status": step.to_status, "at": step.at, "actor": step.actor,
            "agency_code": step.agency_code, "note": step.note}


async def _held(session: AsyncSession, window: Window) -> dict[str, Any]:
    """The local rows of the window, by ticket, each with its steps."""
    prefixes = window.area_prefixes
    statement = select(_COMPLAINT).where(
        _COMPLAINT.c.received_at >= window.start, _COMPLAINT.c.received_at < window.end,
        or_(subtree(_COMPLAINT.c.area_code, prefixes),
            subtree(_COMPLAINT.c.source_area_code, prefixes)))
    rows = {r["ticket_no"]: dict(r) for r in (await session.execute(statement)).mappings()}
    ids = {r["id"]: r for r in rows.values()}
    for row in rows.values():
        row["steps"] = []
    if ids:
        steps = select(_TRANSITION).where(_TRANSITION.c.complaint_id.in_(list(ids))).order_by(
            _TRANSITION.c.complaint_id, _TRANSITION.c.at, _TRANSITION.c.id)
        for step in (await session.execute(steps)).mappings():
            ids[step["complaint_id"]]["steps"].append(step)
    return rows


def _differences(held: Any, ticket: SourceComplaint) -> list[str]:
    fields = [name for name in _COMPARED if not _same(held[name], ticket.fields.get(name))]
    if [_step_key(s) for s in held["steps"]] != [_step_key(_as_row(s)) for s in ticket.steps]:
        fields.append("history")
    return fields


def compare(held: dict[str, Any], tickets: Sequence[SourceComplaint], source: str) -> Drift:
    drift = Drift()
    seen = set()
    for ticket in tickets:
        seen.add(ticket.ticket_no)
        row = held.get(ticket.ticket_no)
        if row is None:
            drift.missing_here.append(ticket.ticket_no)
        elif differing := _differences(row, ticket):
            drift.differing[ticket.ticket_no] = differing
        else:
            drift.unchanged += 1
    drift.gone_at_source = sorted(t for t, r in held.items()
                                  if t not in seen and r["source"] == source)
    return drift


async def reconcile(db: Database, window: Window, tickets: Sequence[SourceComplaint],
                    repair: bool) -> Drift:
    """How the local rows of `window` differ from the source's `tickets`; repaired if asked."""
    async with locked_unit_of_work(db, [f"complaint-sync:{window.source}"]) as session:
        held = await _held(session, window)
        drift = compare(held, tickets, window.source)
        if repair and drift.any:
            await _repair(session, window.source, held, tickets, drift)
    return drift


async def _repair(session: AsyncSession, source: str, held: dict[str, Any],
                  tickets: Sequence[SourceComplaint], drift: Drift) -> None:
    now = utcnow()
    by_ticket = {t.ticket_no: t for t in tickets}
    stamp = {"source": source, "synced_at": now, "updated_at": now}
    for ticket_no, row in ((t, held[t]) for t in drift.differing):
        await session.execute(update(_COMPLAINT).where(_COMPLAINT.c.id == row["id"])
                              .values(**by_ticket[ticket_no].fields, **stamp))
        await session.execute(delete(_TRANSITION).where(_TRANSITION.c.complaint_id == row["id"]))
    new = [by_ticket[t] for t in drift.missing_here]
    for chunk in range(0, len(new), _CHUNK):
        await session.execute(insert(_COMPLAINT),
                              [{**t.fields, **stamp} for t in new[chunk:chunk + _CHUNK]])
    changed = [by_ticket[t] for t in (*drift.differing, *drift.missing_here)]
    ids = await _ids(session, [t.ticket_no for t in changed])
    steps: list[dict[str, Any]] = []
    for ticket in changed:
        steps += _step_rows(ticket, ids[ticket.ticket_no])
        row = held.get(ticket.ticket_no)
        complaint_event(session, ticket.fields, row["status"] if row is not None else None)
    for chunk in range(0, len(steps), _CHUNK):
        await session.execute(insert(_TRANSITION), steps[chunk:chunk + _CHUNK])
    for ticket_no in drift.gone_at_source:
        gone = held[ticket_no]
        await session.execute(delete(_TRANSITION).where(_TRANSITION.c.complaint_id == gone["id"]))
        await session.execute(delete(_COMPLAINT).where(_COMPLAINT.c.id == gone["id"]))


def _step_rows(ticket: SourceComplaint, complaint_id: int) -> list[dict[str, Any]]:
    rows, previous = [], None
    for step in ticket.steps:
        rows.append({**_as_row(step), "complaint_id": complaint_id, "from_status": previous})
        previous = step.to_status
    return rows


async def store_one(session: AsyncSession, source: str, ticket: SourceComplaint) -> str | None:
    """Write one ticket as the source answered it (after a write-through), in the caller's
    transaction, with its event; returns the status it had here before (None: new)."""
    stamp = {"source": source, "synced_at": utcnow(), "updated_at": utcnow()}
    found = (await session.execute(select(_COMPLAINT.c.id, _COMPLAINT.c.status).where(
        _COMPLAINT.c.ticket_no == ticket.ticket_no))).first()
    if found is None:
        complaint_id = (await session.execute(insert(_COMPLAINT).values(
            **ticket.fields, **stamp).returning(_COMPLAINT.c.id))).scalar_one()
    else:
        complaint_id = found.id
        await session.execute(update(_COMPLAINT).where(_COMPLAINT.c.id == complaint_id)
                              .values(**ticket.fields, **stamp))
        await session.execute(delete(_TRANSITION)
                              .where(_TRANSITION.c.complaint_id == complaint_id))
    if ticket.steps:
        await session.execute(insert(_TRANSITION), _step_rows(ticket, complaint_id))
    previous = None if found is None else str(found.status)
    complaint_event(session, ticket.fields, previous)
    return previous


async def _ids(session: AsyncSession, tickets: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in range(0, len(tickets), _CHUNK):
        statement = select(_COMPLAINT.c.ticket_no, _COMPLAINT.c.id).where(
            _COMPLAINT.c.ticket_no.in_(tickets[chunk:chunk + _CHUNK]))
        found.update({r.ticket_no: r.id for r in await session.execute(statement)})
    return found
