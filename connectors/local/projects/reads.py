"""Project reads on the local store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, cast

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


class ProjectRow(TypedDict):
    """A row of the `project` table."""

    code: str
    title_th: str
    title_en: str
    agency_code: str
    strategy: str
    fiscal_year: int
    budget_allocated: Decimal
    budget_disbursed: Decimal
    status: str
    progress_pct: float
    start_date: date
    end_date: date
    updated_at: datetime


class ProjectAreaRow(TypedDict):
    """A row of the `project_area` table: an area a project works in."""

    project_code: str
    area_code: str


class ProjectIndicatorRow(TypedDict):
    """A row of the `project_indicator` table: an indicator a project is meant to move."""

    project_code: str
    indicator_code: str


class MilestoneRow(TypedDict):
    """A row of the `project_milestone` table."""

    id: int
    project_code: str
    name: str
    due_date: date
    status: str


_R = TypeVar("_R", ProjectAreaRow, ProjectIndicatorRow, MilestoneRow)


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
                        after: str | None) -> Page[ProjectRow]:
    async with db.engine.connect() as conn:
        page = await fetch_page(conn, _filtered(f), _PROJECT.c.code, first, after)
    return cast(Page[ProjectRow], page)


async def count_projects(db: Database, f: ProjectFilter) -> int:
    async with db.engine.connect() as conn:
        return await count(conn, _filtered(f))


async def projects_by_codes(db: Database, codes: Sequence[str]) -> dict[str, ProjectRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(select(_PROJECT).where(_PROJECT.c.code.in_(list(set(codes)))))
        return {r["code"]: cast(ProjectRow, r) for r in result.mappings()}


async def _by_project(db: Database, statement: Select[Any],
                      _row: type[_R]) -> dict[str, list[_R]]:
    """Rows grouped by their `project_code`; `_row` names the rows' type."""
    grouped: dict[str, list[_R]] = defaultdict(list)
    async with db.engine.connect() as conn:
        for row in (await conn.execute(statement)).mappings():
            grouped[row["project_code"]].append(cast(_R, row))
    return grouped


async def area_codes_by_projects(db: Database,
                                 codes: Sequence[str]) -> dict[str, list[ProjectAreaRow]]:
    statement = select(_LINK).where(_LINK.c.project_code.in_(list(set(codes))))
    return await _by_project(db, statement.order_by(_LINK.c.area_code), ProjectAreaRow)


async def indicator_codes_by_projects(db: Database,
                                      codes: Sequence[str]) -> dict[str, list[ProjectIndicatorRow]]:
    statement = select(_IND).where(_IND.c.project_code.in_(list(set(codes))))
    return await _by_project(db, statement.order_by(_IND.c.indicator_code), ProjectIndicatorRow)


async def milestones_by_projects(db: Database,
                                 codes: Sequence[str]) -> dict[str, list[MilestoneRow]]:
    statement = select(_MILESTONE).where(_MILESTONE.c.project_code.in_(list(set(codes))))
    return await _by_project(db, statement.order_by(_MILESTONE.c.due_date), MilestoneRow)
