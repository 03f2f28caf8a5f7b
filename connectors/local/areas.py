"""Area queries on the local store: the tree from memory (area_tree.py), searches in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Select, func, or_, select

from areagraph.connectors.local.area_tree import AreaRow, AreaTree
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Area
from areagraph.connectors.local.paging import Page, count, fetch_page, subtree

_AREA = Area.__table__  # type: ignore[attr-defined]


def _filtered(level: str | None, parent_code: str | None, search: str | None,
              within: Sequence[str] | None) -> Select[Any]:
    statement = select(_AREA)
    if level is not None:
        statement = statement.where(_AREA.c.level == level)
    if parent_code is not None:
        statement = statement.where(_AREA.c.parent_code == parent_code)
    if search:
        needle = search.strip().lower()
        statement = statement.where(
            # autoescape: a `%` or `_` in the search matches itself, not any text
            or_(_AREA.c.name_th.contains(needle, autoescape=True),
                func.lower(_AREA.c.name_en).contains(needle, autoescape=True))
        )
    if within is not None:
        statement = statement.where(subtree(_AREA.c.code, within))
    return statement


async def tree(db: Database) -> AreaTree:
    async def read() -> AreaTree:
        async with db.engine.connect() as conn:
            result = await conn.execute(select(_AREA))
            return AreaTree(cast(AreaRow, dict(row)) for row in result.mappings())

    return await db.area_tree(read)


async def codes_at(db: Database, level: str) -> list[str]:
    """Every area code of one level, in order."""
    return (await tree(db)).codes_at(level)


async def list_areas(db: Database, *, level: str | None, parent_code: str | None,
                     search: str | None, first: int, after: str | None,
                     within: Sequence[str] | None = None) -> Page[AreaRow]:
    if not search and within is None:
        return (await tree(db)).page(level=level, parent_code=parent_code, first=first,
                                     after=after)
    async with db.engine.connect() as conn:
        page = await fetch_page(conn, _filtered(level, parent_code, search, within),
                                _AREA.c.code, first, after)
    return cast(Page[AreaRow], page)


async def count_areas(db: Database, *, level: str | None, parent_code: str | None,
                      search: str | None, within: Sequence[str] | None = None) -> int:
    if not search and within is None:
        return (await tree(db)).count(level=level, parent_code=parent_code)
    async with db.engine.connect() as conn:
        return await count(conn, _filtered(level, parent_code, search, within))


async def areas_by_codes(db: Database, codes: Sequence[str]) -> dict[str, AreaRow]:
    return (await tree(db)).by_codes(codes)


async def children_by_parent_codes(db: Database, codes: Sequence[str]) -> dict[str, list[AreaRow]]:
    return (await tree(db)).children_of(codes)
