"""Projects: funded work of the ministry's agencies, by area, strategy and fiscal year."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import indicators as resolve_indicators
from areagraph.resolvers.projects import reads as resolve
from areagraph.resolvers.projects.reads import ProjectRow
from areagraph.schema.areas import Area
from areagraph.schema.common import Connection, connection, decode_cursor
from areagraph.schema.enums import ProjectStatus
from areagraph.schema.figures.indicators import Agency, Indicator


@strawberry.type(description="A step of a project.")
class Milestone:
    name: str
    due_date: date
    status: str


@strawberry.type(description="A funded project, its budget (THB) and progress.")
class Project:
    code: str
    title_th: str
    title_en: str
    strategy: str = strawberry.field(description="The plan or strategy the project serves.")
    fiscal_year: int = strawberry.field(description="Thai fiscal year, CE (2026 = FY2569 BE).")
    budget_allocated: Decimal
    budget_disbursed: Decimal
    status: ProjectStatus
    progress_pct: float
    start_date: date
    end_date: date
    updated_at: datetime
    agency_code: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: ProjectRow) -> Project:
        return cls(
            code=row["code"], title_th=row["title_th"], title_en=row["title_en"],
            strategy=row["strategy"], fiscal_year=row["fiscal_year"],
            budget_allocated=Decimal(row["budget_allocated"]),
            budget_disbursed=Decimal(row["budget_disbursed"]),
            status=ProjectStatus(row["status"]), progress_pct=row["progress_pct"],
            start_date=row["start_date"], end_date=row["end_date"],
            updated_at=row["updated_at"], agency_code=row["agency_code"],
        )

    @strawberry.field(name="fiscalYearBE", description="Buddhist Era fiscal year (ปีงบประมาณ).")
    def fiscal_year_be(self) -> int:
        return self.fiscal_year + 543

    @strawberry.field
    async def agency(self, info: Info) -> Agency:
        return Agency.from_row(await resolve_indicators.owning_agency(info, self.agency_code))

    @strawberry.field(description="The areas the project works in.")
    async def areas(self, info: Info) -> list[Area]:
        return [Area.from_row(r) for r in await resolve.project_areas(info, self.code)]

    @strawberry.field(description="The indicators the project should move.")
    async def indicators(self, info: Info) -> list[Indicator]:
        return [Indicator.from_row(r) for r in await resolve.project_indicators(info, self.code)]

    @strawberry.field
    async def milestones(self, info: Info) -> list[Milestone]:
        rows = await resolve.milestones(info, self.code)
        return [Milestone(name=r["name"], due_date=r["due_date"], status=r["status"])
                for r in rows]


@strawberry.type
class ProjectQuery:
    @strawberry.field(description="Projects in an area's subtree, by agency, status, fiscal year.")
    async def projects(
        self,
        info: Info,
        area_code: str | None = None,
        agency_code: str | None = None,
        status: ProjectStatus | None = None,
        fiscal_year: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Project]:
        f = resolve.project_filter(info, area_code=area_code, agency_code=agency_code,
                                   status=status.value if status else None,
                                   fiscal_year=fiscal_year)
        page, total = await resolve.projects(info, f, first, decode_cursor("project", after))
        nodes = [Project.from_row(r) for r in page.rows]
        return connection(nodes, [n.code for n in nodes], "project", page.has_next,
                          page.has_previous, total)
