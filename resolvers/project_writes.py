"""What createProject and updateProjectProgress do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from areagraph.auth.policy import Capability, can_read_record, can_write, require
from areagraph.connectors.local import event_payloads, project_writes, projects
from areagraph.connectors.local.outbox import EventKind, enqueue
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.errors import BadUserInput, Conflict, Forbidden, NotFound
from areagraph.domain.projects.checks import (
    MILESTONE_STATUSES,
    new_project_problems,
    progress_problems,
)
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.write_audit import record_write


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


async def _event(session: Any, project: Any, areas: Sequence[str]) -> None:
    enqueue(session, EventKind.PROJECT_UPDATED, min(areas, key=len),
            event_payloads.project_updated(
                code=project.code, title_th=project.title_th, title_en=project.title_en,
                agency_code=project.agency_code, status=project.status,
                progress_pct=project.progress_pct, area_codes=areas))


async def create_project(info: Info, new: NewProject) -> Any:
    principal = require(info.context.principal, Capability.WRITE_PROJECTS)
    loaders = info.context.loaders
    areas = sorted({inputs.area_code(a, "areaCodes") for a in new.area_codes})
    problems = new_project_problems(budget_allocated=new.budget_allocated, start=new.start_date,
                                    end=new.end_date, fiscal_year=new.fiscal_year,
                                    area_codes=areas)
    if not 1 <= len(new.code.strip()) <= 32:
        problems.append(("code", "a project code has 1 to 32 characters"))
    if await loaders.agency.load(new.agency_code) is None:
        problems.append(("agencyCode", f"unknown agency {new.agency_code!r}"))
    missing = [a for a, row in zip(areas, await loaders.area.load_many(areas), strict=True)
               if row is None]
    if missing:
        problems.append(("areaCodes", f"unknown areas: {', '.join(missing)}"))
    codes = sorted({c.strip().upper() for c in new.indicator_codes})
    unknown = [c for c, row in zip(codes, await loaders.indicator.load_many(codes), strict=True)
               if row is None]
    if unknown:
        problems.append(("indicatorCodes", f"unknown indicators: {', '.join(unknown)}"))
    _refuse(problems)
    refused = [a for a in areas if not can_write(principal, Capability.WRITE_PROJECTS, a,
                                                 agency=new.agency_code)]
    if refused:
        raise Forbidden(f"you may not create {new.agency_code} projects in "
                        f"{', '.join(refused)}", argument="areaCodes")
    code = new.code.strip()
    async with locked_unit_of_work(info.context.db, [f"project:{code}"]) as session:
        if await project_writes.exists(session, code):
            # The same answer whether or not the caller may see the project holding the code:
            # codes are unique across agencies, so only "taken" is said, nothing of whose.
            raise Conflict(f"the project code {code} is taken: choose another",
                           argument="code")
        fields = {"code": code, "title_th": new.title_th, "title_en": new.title_en,
                  "agency_code": new.agency_code, "strategy": new.strategy,
                  "fiscal_year": new.fiscal_year, "budget_allocated": new.budget_allocated,
                  "start_date": new.start_date, "end_date": new.end_date}
        project = project_writes.add_project(session, fields, areas, codes, new.milestones)
        await _event(session, project, areas)
        record_write(session, info, principal, [{
            "table": "project", "key": code, "before": None,
            "after": {**fields, "budget_allocated": str(new.budget_allocated),
                      "start_date": new.start_date.isoformat(),
                      "end_date": new.end_date.isoformat(), "areas": areas,
                      "indicators": codes}}])
    return (await projects.projects_by_codes(info.context.db, [code]))[code]


async def update_progress(info: Info, code: str, *, progress_pct: float | None,
                          disbursed: Decimal | None, status: str | None,
                          milestones: Sequence[tuple[str, str]]) -> Any:
    """Record progress, disbursement, status and milestone states; refused outside one's reach."""
    principal = require(info.context.principal, Capability.WRITE_PROJECTS)
    for name, state in milestones:
        if state not in MILESTONE_STATUSES:
            raise BadUserInput(f"unknown milestone status {state!r} for {name!r}: use "
                               f"{', '.join(sorted(MILESTONE_STATUSES))}", argument="milestones")
    async with locked_unit_of_work(info.context.db, [f"project:{code}"]) as session:
        project = await project_writes.project_for_update(session, code)
        areas = [] if project is None else await project_writes.area_codes(session, code)
        if project is None or not can_read_record(principal, Capability.PROJECTS, areas,
                                                  project.agency_code):
            # A project out of reach answers as a missing one: its existence is not admitted.
            raise NotFound(f"no project {code}", argument="code")
        if not areas or not all(can_write(principal, Capability.WRITE_PROJECTS, a,
                                          agency=project.agency_code) for a in areas):
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
            await _event(session, project, areas)
            record_write(session, info, principal, changes)
    return (await projects.projects_by_codes(info.context.db, [code]))[code]
