"""Project mutations: create a project, record its progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from areagraph.resolvers.context import Info
from areagraph.resolvers.projects import writes as resolve
from areagraph.schema.enums import ProjectStatus
from areagraph.schema.projects.reads import Project


@strawberry.input(description="A step of a new project.")
class MilestoneInput:
    name: str
    due_date: date


@strawberry.input(description="A milestone's new state: pending, in_progress, done, late, "
                              "cancelled.")
class MilestoneStatusInput:
    name: str
    status: str


@strawberry.input(description="A new project, linked to a strategy and the indicators it "
                              "should move.")
class CreateProjectInput:
    code: str
    title_th: str
    title_en: str
    agency_code: str
    strategy: str
    fiscal_year: int = strawberry.field(description="Thai fiscal year, CE.")
    budget_allocated: Decimal
    start_date: date
    end_date: date
    area_codes: list[str]
    indicator_codes: list[str] = strawberry.field(default_factory=list)
    milestones: list[MilestoneInput] = strawberry.field(default_factory=list)


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(description="Create a project (status planned). Needs write_projects "
                                     "for every area and the agency.")
    async def create_project(self, info: Info, input: CreateProjectInput) -> Project:
        row = await resolve.create_project(info, resolve.NewProject(
            code=input.code, title_th=input.title_th, title_en=input.title_en,
            agency_code=input.agency_code, strategy=input.strategy,
            fiscal_year=input.fiscal_year, budget_allocated=input.budget_allocated,
            start_date=input.start_date, end_date=input.end_date,
            area_codes=input.area_codes, indicator_codes=input.indicator_codes,
            milestones=[(m.name, m.due_date) for m in input.milestones]))
        return Project.from_row(row)

    @strawberry.mutation(description="Record a project's progress %, budget disbursed (THB), "
                                     "status and milestone states.")
    async def update_project_progress(
        self, info: Info, code: str, progress_pct: float | None = None,
        budget_disbursed: Decimal | None = None, status: ProjectStatus | None = None,
        milestones: list[MilestoneStatusInput] | None = None,
    ) -> Project:
        row = await resolve.update_progress(
            info, code, progress_pct=progress_pct, disbursed=budget_disbursed,
            status=status.value if status else None,
            milestones=[(m.name, m.status) for m in milestones or []])
        return Project.from_row(row)
