"""The dashboard: an area's key indicators, complaints, projects, alerts and ranked children."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from areagraph.core.periods import BE_OFFSET
from areagraph.resolvers import dashboard as resolve
from areagraph.resolvers.context import Info
from areagraph.schema.alerts import Alert
from areagraph.schema.areas import Area
from areagraph.schema.complaints.workflow import ComplaintStatistics
from areagraph.schema.figures.rollups import IndicatorPerformance


@strawberry.type
class StatusCount:
    status: str
    count: int


@strawberry.type(description="The area's projects of the fiscal year: budget and progress.")
class ProjectFigures:
    count: int
    budget_allocated: Decimal
    budget_disbursed: Decimal
    disbursement_pct: float | None
    mean_progress_pct: float | None
    by_status: list[StatusCount]

    @classmethod
    def of(cls, s: resolve.ProjectSummary) -> ProjectFigures:
        share = (float(s.budget_disbursed / s.budget_allocated * 100)
                 if s.budget_allocated else None)
        return cls(count=s.count, budget_allocated=s.budget_allocated,
                   budget_disbursed=s.budget_disbursed, disbursement_pct=share,
                   mean_progress_pct=s.mean_progress_pct,
                   by_status=[StatusCount(status=k, count=v) for k, v in s.by_status.items()])


@strawberry.type(description="A child area ranked by achievement of the ranking indicator.")
class RankedChildArea:
    rank: int
    area: Area
    performance: IndicatorPerformance


@strawberry.type(description="An area's situation in a Thai fiscal year.")
class Dashboard:
    area: Area
    fiscal_year: int
    fiscal_year_be: int = strawberry.field(name="fiscalYearBE")
    indicators: list[IndicatorPerformance] = strawberry.field(
        description="Key indicators: those asked for, or those with a target for the area.")
    complaints: ComplaintStatistics | None = strawberry.field(
        description="Null when your roles do not cover complaints.")
    projects: ProjectFigures | None
    active_alerts: list[Alert]
    ranking_indicator_code: str | None
    children: list[RankedChildArea]

    @classmethod
    def of(cls, d: resolve.Dashboard) -> Dashboard:
        return cls(
            area=Area.from_row(d.area), fiscal_year=d.fiscal_year,
            fiscal_year_be=d.fiscal_year + BE_OFFSET,
            indicators=[IndicatorPerformance.of(p) for p in d.indicators],
            complaints=None if d.complaints is None else ComplaintStatistics.of(d.complaints),
            projects=None if d.projects is None else ProjectFigures.of(d.projects),
            active_alerts=[Alert.from_row(r) for r in d.alerts],
            ranking_indicator_code=d.ranking_indicator,
            children=[RankedChildArea(rank=c.rank, area=Area.from_row(c.area),
                                      performance=IndicatorPerformance.of(c.performance))
                      for c in d.children],
        )


@strawberry.type
class DashboardQuery:
    @strawberry.field(description="One request for an area's fiscal year: key indicators with "
                                  "value, target, achievement and trend; complaints; project "
                                  "budgets; active alerts; children ranked by achievement of "
                                  "rankIndicatorCode (default: the first key indicator).")
    async def dashboard(self, info: Info, area_code: str, fiscal_year: int,
                        indicator_codes: list[str] | None = None,
                        rank_indicator_code: str | None = None) -> Dashboard | None:
        found = await resolve.dashboard(info, area_code, fiscal_year, indicator_codes,
                                        rank_indicator_code)
        return None if found is None else Dashboard.of(found)
