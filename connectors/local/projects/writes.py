"""Creating projects and recording their progress, inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.models import (
    Project,
    ProjectArea,
    ProjectIndicator,
    ProjectMilestone,
)
from areagraph.core.clock import utcnow

_PROJECT = Project.__table__  # type: ignore[attr-defined]
_LINK = ProjectArea.__table__  # type: ignore[attr-defined]
_MILESTONE = ProjectMilestone.__table__  # type: ignore[attr-defined]


async def exists(session: AsyncSession, code: str) -> bool:
    return await session.get(Project, code) is not None


def add_project(session: AsyncSession, fields: dict[str, Any], area_codes: Sequence[str],
                indicator_codes: Sequence[str],
                milestones: Sequence[tuple[str, date]]) -> Project:
    project = Project(**fields, budget_disbursed=Decimal(0), progress_pct=0.0, status="planned",
                      updated_at=utcnow())
    session.add(project)
    session.add_all(ProjectArea(project_code=project.code, area_code=a) for a in area_codes)
    session.add_all(ProjectIndicator(project_code=project.code, indicator_code=i)
                    for i in indicator_codes)
    session.add_all(ProjectMilestone(project_code=project.code, name=name, due_date=due)
                    for name, due in milestones)
    return project


async def project_for_update(session: AsyncSession, code: str) -> Project | None:
    statement = select(Project).where(_PROJECT.c.code == code).with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def area_codes(session: AsyncSession, code: str) -> list[str]:
    statement = select(_LINK.c.area_code).where(_LINK.c.project_code == code)
    return list((await session.execute(statement)).scalars())


async def milestones(session: AsyncSession, code: str) -> dict[str, ProjectMilestone]:
    statement = select(ProjectMilestone).where(_MILESTONE.c.project_code == code)
    return {m.name: m for m in (await session.execute(statement)).scalars()}


def progress_changes(project: Project, *, progress_pct: float | None,
                     disbursed: Decimal | None, status: str | None) -> list[dict[str, Any]]:
    """Apply the new progress to `project`; return before → after for each changed field."""
    changes: list[dict[str, Any]] = []
    for name, new in (("progress_pct", progress_pct), ("budget_disbursed", disbursed),
                      ("status", status)):
        old = getattr(project, name)
        if new is None or new == old:
            continue
        setattr(project, name, new)
        changes.append({"table": "project", "key": f"{project.code}/{name}",
                        "before": str(old), "after": str(new)})
    if changes:
        project.updated_at = utcnow()
    return changes
