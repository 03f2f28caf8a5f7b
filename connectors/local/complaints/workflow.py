"""Filing complaints and moving them through the workflow; statistics per area."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.complaints.statuses import CLOSED, RECEIVED, RESOLVED
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Complaint, ComplaintCategory, ComplaintTransition
from areagraph.connectors.local.paging import RowScope, granted, subtree
from areagraph.core.clock import to_bangkok
from areagraph.core.periods import BE_OFFSET, fiscal_year_period, utc_bounds

_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
_CATEGORY = ComplaintCategory.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Case:
    """What complaint statistics count of one complaint."""

    status: str
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None


async def file(session: AsyncSession, fields: dict[str, Any], sla_days: int,
               actor: str, now: datetime) -> Complaint:
    """A new complaint (received `now`) with its first history entry and its ticket number."""
    complaint = Complaint(**fields, status=RECEIVED, received_at=now,
                          due_at=now + timedelta(days=sla_days), updated_at=now,
                          ticket_no=f"new-{uuid.uuid4().hex[:24]}")
    session.add(complaint)
    await session.flush()  # the id numbers the ticket
    assert complaint.id is not None
    complaint.ticket_no = f"1567-{to_bangkok(now).year + BE_OFFSET}-{complaint.id:06d}"
    session.add(ComplaintTransition(complaint_id=complaint.id, from_status=None,
                                    to_status=RECEIVED, actor=actor, note="", at=now))
    return complaint


async def for_update(session: AsyncSession, ticket_no: str) -> Complaint | None:
    statement = select(Complaint).where(_COMPLAINT.c.ticket_no == ticket_no).with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


def move(session: AsyncSession, complaint: Complaint, to_status: str, agency_code: str | None,
         note: str, actor: str, now: datetime) -> ComplaintTransition:
    """Apply a transition already checked by the state machine, and record it."""
    assert complaint.id is not None
    step = ComplaintTransition(complaint_id=complaint.id, from_status=complaint.status,
                               to_status=to_status, agency_code=agency_code, actor=actor,
                               note=note, at=now)
    session.add(step)
    complaint.status = to_status
    if agency_code is not None:
        complaint.assigned_agency_code = agency_code
    if to_status == RESOLVED:
        complaint.resolved_at = now
    elif complaint.resolved_at is not None and to_status != CLOSED:
        complaint.resolved_at = None  # reopened
    complaint.updated_at = now
    return step


async def set_sla(session: AsyncSession, code: str, days: int) -> int | None:
    """Change a category's service level; returns the previous days (None: no such category).

    Complaints already filed keep the due date they were given.
    """
    category = await session.get(ComplaintCategory, code, with_for_update=True)
    if category is None:
        return None
    before, category.sla_days = category.sla_days, days
    return before


async def categories(db: Database) -> list[Any]:
    async with db.engine.connect() as conn:
        return list((await conn.execute(select(_CATEGORY).order_by(_CATEGORY.c.code)))
                    .mappings())


async def cases(db: Database, grants: Sequence[RowScope], fiscal_year: int | None,
                group_length: int | None = None) -> dict[str, list[tuple[str, Case]]]:
    """The cases in the callers' scopes, by area prefix of `group_length` (None: all as one)."""
    statement = select(_COMPLAINT.c.area_code, _COMPLAINT.c.category_code, _COMPLAINT.c.status,
                       _COMPLAINT.c.received_at, _COMPLAINT.c.due_at,
                       _COMPLAINT.c.resolved_at).where(
        granted(grants, lambda p: subtree(_COMPLAINT.c.area_code, p),
                _COMPLAINT.c.assigned_agency_code))
    if fiscal_year is not None:
        start, end = utc_bounds(fiscal_year_period(fiscal_year))
        statement = statement.where(_COMPLAINT.c.received_at >= start,
                                    _COMPLAINT.c.received_at < end)
    grouped: dict[str, list[tuple[str, Case]]] = defaultdict(list)
    async with db.engine.connect() as conn:
        for row in (await conn.execute(statement)).mappings():
            key = "" if group_length is None else row["area_code"][:group_length]
            grouped[key].append((row["category_code"], Case(
                row["status"], row["received_at"], row["due_at"], row["resolved_at"])))
    return grouped
