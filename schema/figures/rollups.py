"""Figures of an area: values rolled up the tree, coverage, performance against targets, ranks."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from areagraph.core.periods import BE_OFFSET, parse_period
from areagraph.domain.figures.aggregation import Rollup
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import rollups as resolve
from areagraph.resolvers.figures.indicators import IndicatorRow
from areagraph.resolvers.figures.period_figures import PeriodFigure
from areagraph.resolvers.figures.provenance import Provenance, provenance
from areagraph.schema.enums import AreaLevel
from areagraph.schema.figures.indicators import Indicator


@strawberry.enum(description="Performance against a target (Open SDG thresholds: ≥ 95 % on "
                             "track, 60–95 % at risk, below off track).")
class PerformanceStatus(Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@strawberry.enum(description="What children are ranked by.")
class RankBy(Enum):
    VALUE = "value"
    ACHIEVEMENT = "achievement"


@strawberry.type(description="How many of the areas below reported the figures a value uses.")
class Coverage:
    reported: int
    expected: int
    level: AreaLevel = strawberry.field(description="The level the value was computed from.")
    ratio: float | None = strawberry.field(description="reported / expected, 0–1.")

    @classmethod
    def of(cls, rollup: Rollup) -> Coverage:
        return cls(reported=rollup.reported, expected=rollup.expected,
                   level=AreaLevel(rollup.level),
                   ratio=rollup.coverage)


@strawberry.type(description="How many of the indicator's own (shorter) periods had a figure, "
                             "for a value made of them by its rule over time.")
class PeriodCoverage:
    present: int
    expected: int
    missing: list[str] = strawberry.field(description="The periods without a figure.")

    @classmethod
    def of(cls, parts: PeriodFigure) -> PeriodCoverage:
        series = parts.parts or ()
        return cls(present=parts.present or 0, expected=len(series),
                   missing=[label for label, r in series if r.value is None])


@strawberry.type(description="One period's value in a trend.")
class TrendPoint:
    period: str
    value: float | None
    coverage: Coverage

    @classmethod
    def of(cls, period: str, rollup: Rollup) -> TrendPoint:
        return cls(period=period, value=rollup.value, coverage=Coverage.of(rollup))


@strawberry.type(description="An indicator's value for an area and period: the area's own "
                             "figure, or computed from the areas below by the indicator's rule.")
class IndicatorValue:
    area_code: str
    period: str
    value: float | None
    computed: bool = strawberry.field(description="True when rolled up from the areas below.")
    coverage: Coverage
    figure: strawberry.Private[resolve.Figure]

    @classmethod
    def of(cls, fig: resolve.Figure) -> IndicatorValue:
        return cls(area_code=fig.area_code, period=fig.period.label, value=fig.rollup.value,
                   computed=not fig.rollup.own, coverage=Coverage.of(fig.rollup), figure=fig)

    @strawberry.field(name="yearBE",
                      description="The Buddhist Era year of the period, as Thai users read it.")
    def year_be(self) -> int:
        return parse_period(self.period).year_be

    @strawberry.field(description="The Thai fiscal year the period falls in (CE).")
    def fiscal_year(self) -> int:
        return self.figure.period.fiscal_year

    @strawberry.field
    def indicator(self) -> Indicator:
        return Indicator.from_row(self.figure.indicator)

    @strawberry.field(description="The target for the area in the period's fiscal year.")
    async def target(self, info: Info) -> float | None:
        return await resolve.target_of(info, self.figure)

    @strawberry.field(description="Achievement of the fiscal year's target, in percent.")
    async def achievement_pct(self, info: Info) -> float | None:
        goal = await resolve.target_of(info, self.figure)
        return resolve.achievement(self.value, goal, self.figure.indicator["direction"])

    @strawberry.field
    async def status(self, info: Info) -> PerformanceStatus | None:
        goal = await resolve.target_of(info, self.figure)
        found = resolve.status(resolve.achievement(self.value, goal,
                                                   self.figure.indicator["direction"]))
        return None if found is None else PerformanceStatus(found.value)

    @strawberry.field(description="This and the periods before it, oldest first.")
    async def trend(self, info: Info, last: int = 6) -> list[TrendPoint]:
        return [TrendPoint.of(p, r) for p, r in await resolve.trend(info, self.figure, last)]

    @strawberry.field(description="For a period longer than the indicator's own (a quarter of "
                                  "a monthly indicator): how many of its periods had a figure. "
                                  "Null for one of the indicator's own periods.")
    def period_coverage(self) -> PeriodCoverage | None:
        over = self.figure.over
        return None if over is None else PeriodCoverage.of(over)

    @strawberry.field(description="The source system of the figure (local: entered here).")
    async def source(self, info: Info) -> str:
        return (await self._provenance(info)).source

    @strawberry.field(description="The revision of the area's own figure; null when computed.")
    async def revision(self, info: Info) -> int | None:
        return (await self._provenance(info)).revision

    @strawberry.field(description="When this revision was recorded in the store (UTC).")
    async def recorded_at(self, info: Info) -> datetime | None:
        return (await self._provenance(info)).recorded_at

    @strawberry.field(description="When the figures were last fetched from their source system "
                                  "(its last successful sync; for local figures, recordedAt).")
    async def fetched_at(self, info: Info) -> datetime | None:
        return (await self._provenance(info)).fetched_at

    @strawberry.field(description="True when the source's last sync failed: the figure is the "
                                  "last good one and may be out of date.")
    async def stale(self, info: Info) -> bool:
        return (await self._provenance(info)).stale

    async def _provenance(self, info: Info) -> Provenance:
        fig = self.figure
        return await provenance(info.context.loaders, fig.indicator, fig.period.label,
                                fig.area_code, own=fig.over is None and fig.rollup.own)


@strawberry.type(description="An indicator in an area over a Thai fiscal year, against its "
                             "target. Monthly and quarterly counts are totalled year to date; "
                             "rates and levels are read at the latest reported period.")
class IndicatorPerformance:
    area_code: str
    fiscal_year: int
    value: float | None
    period: str | None = strawberry.field(description="The last period the value includes.")
    coverage: Coverage | None
    target: float | None
    achievement_pct: float | None
    status: PerformanceStatus | None
    trend: list[TrendPoint]
    row: strawberry.Private[IndicatorRow]

    @classmethod
    def of(cls, found: resolve.Performance) -> IndicatorPerformance:
        return cls(
            area_code=found.area_code, fiscal_year=found.fiscal_year, value=found.value,
            period=found.period,
            coverage=None if found.rollup is None else Coverage.of(found.rollup),
            target=found.target, achievement_pct=found.achievement,
            status=None if found.status is None else PerformanceStatus(found.status.value),
            trend=[TrendPoint.of(p, r) for p, r in found.trend], row=found.indicator,
        )

    @strawberry.field(name="fiscalYearBE", description="Buddhist Era fiscal year (ปีงบประมาณ).")
    def fiscal_year_be(self) -> int:
        return self.fiscal_year + BE_OFFSET

    @strawberry.field
    def indicator(self) -> Indicator:
        return Indicator.from_row(self.row)
