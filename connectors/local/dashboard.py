"""The dashboard's project figures: one aggregate statement over an area's projects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, func, select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Project, ProjectArea
from areagraph.connectors.local.paging import RowScope, granted, subtree

_PROJECT = Project.__table__  # type: ignore[attr-defined]
_LINK = ProjectArea.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ProjectSummary:
    count: int
    budget_allocated: Decimal
    budget_disbursed: Decimal
    mean_progress_pct: float | None
    by_status: dict[str, int]


async def project_summary(db: Database, grants: Sequence[RowScope],
                          fiscal_year: int) -> ProjectSummary:
    """Projects of the fiscal year in the granted areas (a grant per scope or agency)."""

    def in_areas(prefixes: Sequence[str]) -> object:
        return exists().where(_LINK.c.project_code == _PROJECT.c.code,
                              subtree(_LINK.c.area_code, prefixes))

    statement = (
        select(_PROJECT.c.status, func.count().label("n"),
               func.sum(_PROJECT.c.budget_allocated).label("allocated"),
               func.sum(_PROJECT.c.budget_disbursed).label("disbursed"),
               func.sum(_PROJECT.c.progress_pct).label("progress"))
        .where(_PROJECT.c.fiscal_year == fiscal_year,
               granted(grants, in_areas, _PROJECT.c.agency_code))
        .group_by(_PROJECT.c.status)
    )
    async with db.engine.connect() as conn:
        rows = list((await conn.execute(statement)).mappings())
    count = sum(int(r["n"]) for r in rows)
    return ProjectSummary(
        count=count,
        budget_allocated=sum((_money(r["allocated"]) for r in rows), _money(0)),
        budget_disbursed=sum((_money(r["disbursed"]) for r in rows), _money(0)),
        mean_progress_pct=(sum(float(r["progress"] or 0) for r in rows) / count
                           if count else None),
        by_status={r["status"]: int(r["n"]) for r in sorted(rows, key=lambda r: r["status"])},
    )


def _money(value: object) -> Decimal:
    """Baht to the satang (SQLite sums NUMERIC as a float)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))
