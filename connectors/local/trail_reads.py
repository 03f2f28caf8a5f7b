"""The audit trail and figure revisions read in id order, one keyset batch at a time, so an
export of a year's trail never holds more than one batch."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, select

from areagraph.connectors.local.audit_log import AuditFilter, AuditRow
from areagraph.connectors.local.audit_log import filtered as filtered_audit
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures.observations import ObservationRow
from areagraph.connectors.local.models import Observation
from areagraph.connectors.local.paging import subtree

Row = Mapping[str, Any]
_R = TypeVar("_R", AuditRow, ObservationRow)
BATCH = 1000
_OBS = Observation.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RevisionFilter:
    """Which figure revisions to read: recorded in [since, until), by whom, where, of what."""

    since: datetime | None = None
    until: datetime | None = None
    recorded_by: str | None = None
    area_code: str | None = None
    indicator_code: str | None = None


def _revisions(f: RevisionFilter) -> Select[Any]:
    statement = select(_OBS)
    if f.since is not None:
        statement = statement.where(_OBS.c.recorded_at >= f.since)
    if f.until is not None:
        statement = statement.where(_OBS.c.recorded_at < f.until)
    if f.recorded_by is not None:
        statement = statement.where(_OBS.c.recorded_by == f.recorded_by)
    if f.area_code is not None:
        statement = statement.where(subtree(_OBS.c.area_code, [f.area_code]))
    if f.indicator_code is not None:
        statement = statement.where(_OBS.c.indicator_code == f.indicator_code)
    return statement


async def _in_batches(db: Database, statement: Select[Any], id_column: Any,
                      keep: Callable[[_R], bool], _row: type[_R]) -> AsyncIterator[list[_R]]:
    """`statement`'s rows in id order, one batch at a time; `_row` names their type."""
    after = 0
    while True:
        async with db.engine.connect() as conn:
            rows = cast(list[_R], list((await conn.execute(
                statement.where(id_column > after).order_by(id_column).limit(BATCH)
            )).mappings()))
        if not rows:
            return
        after = rows[-1]["id"]
        kept = [r for r in rows if keep(r)]
        if kept:
            yield kept
        if len(rows) < BATCH:
            return


def audit_batches(db: Database, f: AuditFilter,
                  keep: Callable[[AuditRow], bool]) -> AsyncIterator[list[AuditRow]]:
    """Audit records matching `f` and `keep`, oldest first."""
    statement = filtered_audit(f)
    return _in_batches(db, statement, statement.selected_columns.id, keep, AuditRow)


def revision_batches(db: Database, f: RevisionFilter,
                     keep: Callable[[ObservationRow], bool]
                     ) -> AsyncIterator[list[ObservationRow]]:
    """Figure revisions matching `f` and `keep`, in the order they were recorded."""
    return _in_batches(db, _revisions(f), _OBS.c.id, keep, ObservationRow)
