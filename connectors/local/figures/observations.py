"""Observation reads on the local store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import TypedDict, cast

from sqlalchemy import select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Observation

_OBS = Observation.__table__  # type: ignore[attr-defined]


class ObservationRow(TypedDict):
    """A row of the `observation` table: one revision of a figure."""

    id: int
    indicator_code: str
    area_code: str
    period: str
    period_start: date
    value: float
    revision: int
    is_current: bool
    source: str
    recorded_by: str
    recorded_at: datetime


async def current_by_areas(
    db: Database, area_codes: Sequence[str], indicator_code: str,
    start: date | None, end: date | None,
) -> dict[str, list[ObservationRow]]:
    """Current revisions for one indicator over many areas, oldest period first."""
    statement = select(_OBS).where(
        _OBS.c.indicator_code == indicator_code,
        _OBS.c.area_code.in_(list(set(area_codes))),
        _OBS.c.is_current.is_(True),
    )
    if start is not None:
        statement = statement.where(_OBS.c.period_start >= start)
    if end is not None:
        statement = statement.where(_OBS.c.period_start <= end)
    grouped: dict[str, list[ObservationRow]] = defaultdict(list)
    async with db.engine.connect() as conn:
        result = await conn.execute(statement.order_by(_OBS.c.area_code, _OBS.c.period_start))
        for row in result.mappings():
            grouped[row["area_code"]].append(cast(ObservationRow, row))
    return grouped


async def current_by_keys(db: Database, keys: Sequence[tuple[str, str, str]]
                          ) -> dict[tuple[str, str, str], ObservationRow]:
    """The current revision per (indicator, period, area): one statement per indicator and
    period."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for indicator, period, area in keys:
        groups[(indicator, period)].add(area)
    found: dict[tuple[str, str, str], ObservationRow] = {}
    async with db.engine.connect() as conn:
        for (indicator, period), areas in groups.items():
            statement = select(_OBS).where(
                _OBS.c.indicator_code == indicator, _OBS.c.period == period,
                _OBS.c.is_current.is_(True), _OBS.c.area_code.in_(sorted(areas)))
            for row in (await conn.execute(statement)).mappings():
                found[(indicator, period, row["area_code"])] = cast(ObservationRow, row)
    return found
