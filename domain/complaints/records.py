"""Complaints from their system of record (Damrongdhama): sync, reconciliation, the local form
of a ticket the centre answered, and keeping that answer after a write-through.

`reconcile_complaints` asks the source for every ticket received in a window, places each on
today's map, and compares them with the local rows; with `repair` it brings the rows in line
(`sync_complaints`). A ticket whose place is an abolished subdistrict that split is stored on
the nearest area that still contains it, with the code it names kept in `source_area_code`,
and listed in the report; one that cannot be placed at all is listed and not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import geothai
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.base import Unmapped
from areagraph.connectors.damrongdhama import DamrongdhamaConnector, SourceTicket
from areagraph.connectors.local.catalogue import AGENCIES
from areagraph.connectors.local.complaints.sync import (
    Drift,
    SourceComplaint,
    SourceStep,
    Window,
    reconcile,
    store_one,
)
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import ComplaintCategory
from areagraph.connectors.mapping import current_code, provinces_of
from areagraph.core.area_codes import district_of, level_of, province_of, related
from areagraph.core.clock import to_bangkok
from areagraph.core.periods import fiscal_year_period, utc_bounds
from areagraph.domain.complaints.states import IN_PROGRESS, RESOLVED

_CATEGORY = ComplaintCategory.__table__  # type: ignore[attr-defined]
_AGENCIES = frozenset(a.code for a in AGENCIES)
# The centre's channel names and areagraph's.
_CHANNELS = {"1567": "hotline_1567", "walk-in": "walk_in", "web": "web", "line": "line",
             "letter": "letter"}
_SOURCE_CHANNELS = {ours: theirs for theirs, ours in _CHANNELS.items()}


@dataclass
class SyncReport:
    """What a sync or reconciliation found: the drift, and the tickets it could not place."""

    fetched: int = 0
    drift: Drift = field(default_factory=Drift)
    unmapped: list[Unmapped] = field(default_factory=list)
    repaired: bool = False


def complaint_system(sources: Iterable[Any], name: str | None) -> DamrongdhamaConnector | None:
    """The source named as the complaints' system of record, if set (sources as in the
    registry); a name that is not a configured complaint system is a configuration error."""
    if name is None:
        return None
    for source in sources:
        connector = getattr(source, "connector", source)
        if source.name == name and isinstance(connector, DamrongdhamaConnector):
            return connector
    raise ValueError(f"the complaint system {name!r} is not a configured Damrongdhama source")


def _exists(code: str) -> bool:
    finder = {"province": geothai.province, "district": geothai.district,
              "subdistrict": geothai.subdistrict}.get(level_of(code))
    return finder is not None and finder(code) is not None


def place(code: str) -> tuple[str | None, str | None]:
    """(today's area to store the ticket on, why it is not the code itself, if it is not)."""
    if level_of(code) == "subdistrict":
        current, reason = current_code(code)
        if current is not None:
            return current, None
    elif _exists(code):
        return code, None
    else:
        reason = "unknown code"
    for above in (district_of(code), province_of(code)):
        if above is not None and above != code and _exists(above):
            return above, f"{reason}: placed on {above}"
    return None, reason


def local_form(ticket: SourceTicket, source: str, sla_days: Mapping[str, int]
               ) -> tuple[SourceComplaint | None, Unmapped | None]:
    """The ticket as a local row holds it, and a note when it could not be placed exactly."""
    area, reason = place(ticket.area_code)
    if area is None or ticket.category not in sla_days:
        why = reason or f"unknown category {ticket.category!r}"
        return None, Unmapped(source=source, key=ticket.ticket_no, reason=why)
    received = ticket.received_at.astimezone(UTC)
    steps, resolved_at = [], None
    for entry in ticket.history:
        at = entry.at.astimezone(UTC)
        agency = entry.agency if entry.agency in _AGENCIES else None
        steps.append(SourceStep(entry.status, at, entry.by[:200], agency,
                                (entry.note or "")[:2000]))
        if entry.status == RESOLVED:
            resolved_at = at
        elif entry.status == IN_PROGRESS:
            resolved_at = None  # reopened
    person = ticket.complainant
    fields = {
        "ticket_no": ticket.ticket_no, "channel": _CHANNELS.get(ticket.channel, "web"),
        "category_code": ticket.category, "area_code": area, "subject": ticket.subject[:500],
        "detail": ticket.detail[:4000], "status": ticket.status, "received_at": received,
        "due_at": received + timedelta(days=sla_days[ticket.category]),
        "resolved_at": resolved_at if ticket.status in (RESOLVED, "closed") else None,
        "assigned_agency_code": ticket.agency if ticket.agency in _AGENCIES else None,
        "complainant_name": person.name[:200], "complainant_phone": person.phone[:32],
        "complainant_citizen_id": person.citizen_id[:13],
        "source_area_code": ticket.area_code if reason else None,
    }
    note = Unmapped(source=source, key=ticket.ticket_no, reason=reason) if reason else None
    return SourceComplaint(fields, tuple(steps)), note


async def store_answer(session: AsyncSession, system: DamrongdhamaConnector, answer: SourceTicket,
                       sla_days: Mapping[str, int]) -> tuple[str, str] | None:
    """Write-through: keep a ticket as the system of record answered a write, in the caller's
    transaction; (ticket, status), or None when the answer cannot be placed on today's map."""
    placed, _ = local_form(answer, system.name, sla_days)
    if placed is None:
        return None
    await store_one(session, system.name, placed)
    return placed.ticket_no, str(placed.fields["status"])


async def sla_days(db: Database) -> dict[str, int]:
    async with db.engine.connect() as conn:
        return {r.code: r.sla_days
                for r in await conn.execute(select(_CATEGORY.c.code, _CATEGORY.c.sla_days))}


def _window(source: str, areas: Sequence[str], start: datetime, end: datetime) -> Window:
    return Window(source, tuple(areas), start, end)


async def reconcile_complaints(db: Database, system: DamrongdhamaConnector,
                               areas: Sequence[str], fiscal_year: int,
                               repair: bool = False) -> SyncReport:
    """Compare the local complaints of `areas` received in the fiscal year with the source's
    tickets; with `repair`, make the local store hold exactly what the source holds."""
    start, end = utc_bounds(fiscal_year_period(fiscal_year))
    first: date = to_bangkok(start).date()
    last: date = to_bangkok(end - timedelta(microseconds=1)).date()
    report = SyncReport(repaired=repair)
    days = await sla_days(db)
    tickets: list[SourceComplaint] = []
    for province in provinces_of(areas):  # one call per province keeps answers bounded
        wanted = [a for a in areas if related(a, province)]
        asked = [province] if "TH" in wanted else wanted
        for ticket in await system.tickets(asked, first, last):
            local, note = local_form(ticket, system.name, days)
            report.fetched += 1
            if note is not None:
                report.unmapped.append(note)
            if local is not None:
                tickets.append(local)
    report.drift = await reconcile(db, _window(system.name, areas, start, end), tickets,
                                   repair)
    return report


async def sync_complaints(db: Database, system: DamrongdhamaConnector, areas: Sequence[str],
                          fiscal_year: int) -> SyncReport:
    return await reconcile_complaints(db, system, areas, fiscal_year, repair=True)


def filing(channel: str, category: str, area: str, subject: str, detail: str,
           complainant: Mapping[str, str], by: str) -> dict[str, Any]:
    """A new complaint as the centre's filing endpoint takes it."""
    return {"channel": _SOURCE_CHANNELS.get(channel, "web"), "category": category,
            "area_code": area, "subject": subject, "detail": detail,
            "complainant": dict(complainant), "by": by}
