"""Targets: planned values per indicator, area and Thai fiscal year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Target
from areagraph.connectors.local.paging import subtree
from areagraph.core.clock import utcnow

_TARGET = Target.__table__  # type: ignore[attr-defined]

TargetKey = tuple[str, str, int]  # indicator, area, fiscal year


class TargetRow(TypedDict):
    """A row of the `target` table."""

    id: int
    indicator_code: str
    area_code: str
    fiscal_year: int
    value: float
    set_by: str
    set_at: datetime


async def targets_by_keys(db: Database, keys: Sequence[TargetKey]) -> dict[TargetKey, TargetRow]:
    wanted = list(set(keys))
    statement = select(_TARGET).where(
        tuple_(_TARGET.c.indicator_code, _TARGET.c.area_code, _TARGET.c.fiscal_year).in_(wanted)
    )
    async with db.engine.connect() as conn:
        rows = (await conn.execute(statement)).mappings()
        return {(r["indicator_code"], r["area_code"], r["fiscal_year"]): cast(TargetRow, r)
                for r in rows}


async def list_targets(db: Database, *, area_codes: Sequence[str], exact_area: str | None,
                       fiscal_year: int | None, indicator_code: str | None) -> list[TargetRow]:
    """Targets of one area (`exact_area`) or of a subtree, by fiscal year and indicator."""
    statement = select(_TARGET)
    if exact_area is not None:
        statement = statement.where(_TARGET.c.area_code == exact_area)
    if area_codes:
        statement = statement.where(subtree(_TARGET.c.area_code, area_codes))
    if fiscal_year is not None:
        statement = statement.where(_TARGET.c.fiscal_year == fiscal_year)
    if indicator_code is not None:
        statement = statement.where(_TARGET.c.indicator_code == indicator_code)
    statement = statement.order_by(_TARGET.c.area_code, _TARGET.c.fiscal_year,
                                   _TARGET.c.indicator_code)
    async with db.engine.connect() as conn:
        return cast(list[TargetRow], list((await conn.execute(statement)).mappings()))


async def indicator_codes_with_targets(db: Database, area_codes: Sequence[str],
                                       fiscal_year: int) -> dict[str, list[str]]:
    """Per area, the indicators it has a target for in the fiscal year (one statement)."""
    statement = (select(_TARGET.c.area_code, _TARGET.c.indicator_code)
                 .where(_TARGET.c.area_code.in_(list(set(area_codes))),
                        _TARGET.c.fiscal_year == fiscal_year)
                 .order_by(_TARGET.c.area_code, _TARGET.c.indicator_code))
    found: dict[str, list[str]] = {}
    async with db.engine.connect() as conn:
        for area, indicator in (await conn.execute(statement)).all():
            found.setdefault(area, []).append(indicator)
    return found


async def upsert_targets(session: AsyncSession, rows: Sequence[dict[str, Any]],
                         set_by: str) -> list[dict[str, Any]]:
    """Insert or replace targets; returns the changes (before → after) for the audit trail."""
    keys = [(r["indicator_code"], r["area_code"], r["fiscal_year"]) for r in rows]
    existing = {
        (t.indicator_code, t.area_code, t.fiscal_year): t
        for t in (await session.execute(select(Target).where(
            tuple_(_TARGET.c.indicator_code, _TARGET.c.area_code,
                   _TARGET.c.fiscal_year).in_(keys)).with_for_update())).scalars()
    }
    changes: list[dict[str, Any]] = []
    for row, key in zip(rows, keys, strict=True):
        current = existing.get(key)
        before = None if current is None else current.value
        if current is None:
            current = Target(**row, set_by=set_by)
            session.add(current)
            existing[key] = current
        else:
            current.value = row["value"]
            current.set_by = set_by
            current.set_at = utcnow()
        changes.append({"table": "target", "key": "/".join(map(str, key)),
                        "before": before, "after": row["value"]})
    await session.flush()
    return changes
