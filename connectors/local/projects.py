"""Project reads on the local store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import (
    Project,
    ProjectArea,
    ProjectIndicator,
    ProjectMilestone,
)
from areagraph.connectors.local.paging import Page, RowScope, count, fetch_page, granted, subtree

_PROJECT = Project.__table__  # type: ignore[attr-defined]
_LINK = ProjectArea.__table__  # type: ignore[attr-defined]
_IND = ProjectIndicator.__table__  # type: ignore[attr-defined]
_MILESTONE = ProjectMilestone.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ProjectFilter:
    grants: Sequence[RowScope] = ()
    agency_code: str | None = None
    status: str | None = None
    fiscal_year: int | None = None


def _filtered(f: ProjectFilter) -> Select[Any]:
    statement = select(_PROJECT).where(granted(f.grants, _in_areas, _PROJECT.c.agency_code))
    if f.agency_code is not None:
        statement = statement.where(_PROJECT.c.agency_code == f.agency_code)
    if f.status is not None:
        statement = statement.where(_PROJECT.c.status == f.status)
    if f.fiscal_year is not None:
        statement = statement.where(_PROJECT.c.fiscal_year == f.fiscal_year)
    return statement


def _in_areas(prefixes: Sequence[str]) -> Any:
    return exists().where(_LINK.c.project_code == _PROJECT.c.code,
                          subtree(_LINK.c.area_code, prefixes))


async def list_projects(db: Database, f: ProjectFilter, first: int,
                        after: str | None) -> Page[Any]:
    async with db.engine.connect() as conn:
        return await fetch_page(conn, _filtered(f), _PROJECT.c.code, first, after)


async def count_projects(db: Database, f: ProjectFilter) -> int:
    async with db.engine.connect() as conn:
        return await count(conn, _filtered(f))


async def projects_by_codes(db: Database, codes: Sequence[str]) -> dict[str, Any]:
    async with db.engine.connect() as conn:
        result = await conn.execute(select(_PROJECT).where(_PROJECT.c.code.in_(list(set(codes)))))
        return {r["code"]: r for r in result.mappings()}


async def _grouped(db: Database, statement: Select[Any], key: str) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    async with db.engine.connect() as conn:
        for row in (await conn.execute(statement)).mappings():
            grouped[row[key]].append(row)
    return grouped


async def area_codes_by_projects(db: Database, codes: Sequence[str]) -> dict[str, list[Any]]:
    statement = select(_LINK).where(_LINK.c.project_code.in_(list(set(codes))))
    return await _grouped(db, statement.order_by(_LINK.c.area_code), "project_code")


async def indicator_codes_by_projects(db: Database,
                                      codes: Sequence[str]) -> dict[str, list[Any]]:
    statement = select(_IND).where(_IND.c.project_code.in_(list(set(codes))))
    return await _grouped(db, statement.order_by(_IND.c.indicator_code), "project_code")


async def milestones_by_projects(db: Database, codes: Sequence[str]) -> dict[str, list[Any]]:
    statement = select(_MILESTONE).where(_MILESTONE.c.project_code.in_(list(set(codes))))
    return await _grouped(db, statement.order_by(_MILESTONE.c.due_date), "project_code")
