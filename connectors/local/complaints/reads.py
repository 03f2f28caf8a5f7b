"""Complaint reads on the local store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlalchemy import Select, select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Complaint, ComplaintTransition
from areagraph.connectors.local.paging import Page, RowScope, count, fetch_page, granted, subtree
from areagraph.core.periods import fiscal_year_period, utc_bounds

_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
_TRANSITION = ComplaintTransition.__table__  # type: ignore[attr-defined]


class ComplaintRow(TypedDict):
    """A row of the `complaint` table, complainant's personal data included."""

    id: int
    ticket_no: str
    channel: str
    category_code: str
    area_code: str
    subject: str
    detail: str
    status: str
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    assigned_agency_code: str | None
    complainant_name: str
    complainant_phone: str
    complainant_citizen_id: str
    updated_at: datetime
    source: str | None
    synced_at: datetime | None
    source_area_code: str | None


class TransitionRow(TypedDict):
    """A row of the `complaint_transition` table: one step in a complaint's history."""

    id: int
    complaint_id: int
    from_status: str | None
    to_status: str
    agency_code: str | None
    actor: str
    note: str
    at: datetime


@dataclass(frozen=True)
class ComplaintFilter:
    grants: Sequence[RowScope] = ()
    agency_code: str | None = None
    status: str | None = None
    category: str | None = None
    fiscal_year: int | None = None
    open: bool | None = None  # True: still being handled; False: resolved, rejected or closed
    open_statuses: Collection[str] = ()  # the statuses that count as open (the workflow's rule)
    received_from: datetime | None = None  # inclusive
    received_to: datetime | None = None  # inclusive


def _filtered(f: ComplaintFilter) -> Select[Any]:
    statement = select(_COMPLAINT).where(
        granted(f.grants, lambda p: subtree(_COMPLAINT.c.area_code, p),
                _COMPLAINT.c.assigned_agency_code)
    )
    if f.agency_code is not None:
        statement = statement.where(_COMPLAINT.c.assigned_agency_code == f.agency_code)
    if f.status is not None:
        statement = statement.where(_COMPLAINT.c.status == f.status)
    if f.category is not None:
        statement = statement.where(_COMPLAINT.c.category_code == f.category)
    if f.fiscal_year is not None:
        start, end = utc_bounds(fiscal_year_period(f.fiscal_year))
        statement = statement.where(
            _COMPLAINT.c.received_at >= start, _COMPLAINT.c.received_at < end
        )
    if f.open is not None:
        in_open = _COMPLAINT.c.status.in_(sorted(f.open_statuses))
        statement = statement.where(in_open if f.open else ~in_open)
    if f.received_from is not None:
        statement = statement.where(_COMPLAINT.c.received_at >= f.received_from)
    if f.received_to is not None:
        statement = statement.where(_COMPLAINT.c.received_at <= f.received_to)
    return statement


async def list_complaints(db: Database, f: ComplaintFilter, first: int,
                          after: int | None) -> Page[ComplaintRow]:
    async with db.engine.connect() as conn:
        page = await fetch_page(conn, _filtered(f), _COMPLAINT.c.id, first, after)
    return cast(Page[ComplaintRow], page)


async def count_complaints(db: Database, f: ComplaintFilter) -> int:
    async with db.engine.connect() as conn:
        return await count(conn, _filtered(f))


async def complaints_by_tickets(db: Database,
                                tickets: Sequence[str]) -> dict[str, ComplaintRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(
            select(_COMPLAINT).where(_COMPLAINT.c.ticket_no.in_(list(set(tickets))))
        )
        return {r["ticket_no"]: cast(ComplaintRow, r) for r in result.mappings()}


async def transitions_by_complaints(db: Database,
                                    ids: Sequence[int]) -> dict[int, list[TransitionRow]]:
    grouped: dict[int, list[TransitionRow]] = defaultdict(list)
    statement = (
        select(_TRANSITION)
        .where(_TRANSITION.c.complaint_id.in_(list(set(ids))))
        .order_by(_TRANSITION.c.complaint_id, _TRANSITION.c.at, _TRANSITION.c.id)
    )
    async with db.engine.connect() as conn:
        for row in (await conn.execute(statement)).mappings():
            grouped[row["complaint_id"]].append(cast(TransitionRow, row))
    return grouped
