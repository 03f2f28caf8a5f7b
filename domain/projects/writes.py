"""Creating projects and recording their progress: checks, reach, the write, its event and its
audit record, in one transaction.

Plain functions over `Desk` (the database, the audit recorder, the catalogue look-ups) and the
caller's principal, so GraphQL, the CLI and tests run the same flow. Area codes arrive already
parsed by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.policy import Capability, can_read_record, can_write, require
from areagraph.auth.principal import Principal
from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.outbox import EventKind, enqueue
from areagraph.connectors.local.projects import reads as store
from areagraph.connectors.local.projects import writes as project_writes
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.errors import BadUserInput, Conflict, Forbidden, NotFound
from areagraph.domain.ports import AuditRecorder, Lookup
from areagraph.domain.projects.checks import (
    MILESTONE_STATUSES,
    new_project_problems,
    progress_problems,
)


@dataclass(frozen=True)
class Desk:
    """What the project flows work with, passed in by whoever runs them."""

    db: Database
    audit: AuditRecorder
    agencies: Lookup
    areas: Lookup
    indicators: Lookup


@dataclass(frozen=True)
class NewProject:
    code: str
    title_th: str
    title_en: str
    agency_code: str
    strategy: str
    fiscal_year: int
    budget_allocated: Decimal
    start_date: date
    end_date: date
    area_codes: Sequence[str]
    indicator_codes: Sequence[str]
    milestones: Sequence[tuple[str, date]]


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, reason = problems[0]
        raise BadUserInput(reason, argument=field,
                           problems=[{"field": f, "reason": r} for f, r in problems])


def _event(session: AsyncSession, project: Any, area_codes: Sequence[str]) -> None:
    enqueue(session, EventKind.PROJECT_UPDATED, min(area_codes, key=len),
            event_payloads.project_updated(
                code=project.code, title_th=project.title_th, title_en=project.title_en,
                agency_code=project.agency_code, status=project.status,
                progress_pct=project.progress_pct, area_codes=area_codes))


async def create_project(desk: Desk, principal: Principal | None, new: NewProject) -> Any:
    """Create a project with its areas, indicators and milestones; its row."""
    principal = require(principal, Capability.WRITE_PROJECTS)
    area_codes = sorted(set(new.area_codes))
    problems = new_project_problems(budget_allocated=new.budget_allocated, start=new.start_date,
                                    end=new.end_date, fiscal_year=new.fiscal_year,
                                    area_codes=area_codes)
    if not 1 <= len(new.code.strip()) <= 32:
        problems.append(("code", "a project code has 1 to 32 characters"))
    if await desk.agencies.load(new.agency_code) is None:
        problems.append(("agencyCode", f"unknown agency {new.agency_code!r}"))
    missing = [a for a, row in zip(area_codes, await desk.areas.load_many(area_codes), strict=True)
               if row is None]
    if missing:
        problems.append(("areaCodes", f"unknown areas: {', '.join(missing)}"))
    codes = sorted({c.strip().upper() for c in new.indicator_codes})
    unknown = [c for c, row in zip(codes, await desk.indicators.load_many(codes), strict=True)
               if row is None]
    if unknown:
        problems.append(("indicatorCodes", f"unknown indicators: {', '.join(unknown)}"))
    _refuse(problems)
    refused = [a for a in area_codes if not can_write(principal, Capability.WRITE_PROJECTS, a,
                                                      agency=new.agency_code)]
    if refused:
        raise Forbidden(f"you may not create {new.agency_code} projects in "
                        f"{', '.join(refused)}", argument="areaCodes")
    code = new.code.strip()
    async with locked_unit_of_work(desk.db, [f"project:{code}"]) as session:
        if await project_writes.exists(session, code):
            # The same answer whether or not the caller may see the project holding the code:
            # codes are unique across agencies, so only "taken" is said, nothing of whose.
            raise Conflict(f"the project code {code} is taken: choose another",
                           argument="code")
        fields = {"code": code, "title_th": new.title_th, "title_en": new.title_en,
                  "agency_code": new.agency_code, "strategy": new.strategy,
                  "fiscal_year": new.fiscal_year, "budget_allocated": new.budget_allocated,
                  "start_date": new.start_date, "end_date": new.end_date}
        project = project_writes.add_project(session, fields, area_codes, codes, new.milestones)
        _event(session, project, area_codes)
        desk.audit(session, principal, [{
            "table": "project", "key": code, "before": None,
            "after": {**fields, "budget_allocated": str(new.budget_allocated),
                      "start_date": new.start_date.isoformat(),
                      "end_date": new.end_date.isoformat(), "areas": area_codes,
                      "indicators": codes}}])
    return (await store.projects_by_codes(desk.db, [code]))[code]


async def update_progress(desk: Desk, principal: Principal | None, code: str, *,
                          progress_pct: float | None, disbursed: Decimal | None,
                          status: str | None, milestones: Sequence[tuple[str, str]]) -> Any:
    """Record progress, disbursement, status and milestone states; refused outside one's reach."""
    principal = require(principal, Capability.WRITE_PROJECTS)
    for name, state in milestones:
        if state not in MILESTONE_STATUSES:
            raise BadUserInput(f"unknown milestone status {state!r} for {name!r}: use "
                               f"{', '.join(sorted(MILESTONE_STATUSES))}", argument="milestones")
    async with locked_unit_of_work(desk.db, [f"project:{code}"]) as session:
        project = await project_writes.project_for_update(session, code)
        area_codes = [] if project is None else await project_writes.area_codes(session, code)
        if project is None or not can_read_record(principal, Capability.PROJECTS, area_codes,
                                                  project.agency_code):
            # A project out of reach answers as a missing one: its existence is not admitted.
            raise NotFound(f"no project {code}", argument="code")
        if not area_codes or not all(can_write(principal, Capability.WRITE_PROJECTS, a,
                                               agency=project.agency_code) for a in area_codes):
            raise Forbidden(f"you may not update project {code}", argument="code")
        _refuse(progress_problems(progress_pct=progress_pct, disbursed=disbursed,
                                  allocated=project.budget_allocated, status=status))
        changes = project_writes.progress_changes(project, progress_pct=progress_pct,
                                                  disbursed=disbursed, status=status)
        steps = await project_writes.milestones(session, code)
        for name, state in milestones:
            step = steps.get(name)
            if step is None:
                raise BadUserInput(f"project {code} has no milestone {name!r}",
                                   argument="milestones")
            if step.status != state:
                changes.append({"table": "project_milestone", "key": f"{code}/{name}",
                                "before": step.status, "after": state})
                step.status = state
        if changes:
            _event(session, project, area_codes)
            desk.audit(session, principal, changes)
    return (await store.projects_by_codes(desk.db, [code]))[code]
