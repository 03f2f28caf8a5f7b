"""Areas: the DOPA tree of Thailand, from the country to subdistricts, and the types that lead
back to an area (an observation, a ranked child), so that the area's modules import one way."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from areagraph.core.periods import parse_period
from areagraph.resolvers import areas as resolve
from areagraph.resolvers import sources as resolve_sources
from areagraph.resolvers.areas import AreaRow, ObservationRow
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import indicators as resolve_indicators
from areagraph.resolvers.figures import rollups as resolve_rollups
from areagraph.resolvers.source_prefetch import EVENTS, VALUES, prefetch_area_fields, prefetched
from areagraph.schema.common import Connection, connection, decode_cursor
from areagraph.schema.enums import AreaLevel
from areagraph.schema.figures.indicators import Indicator
from areagraph.schema.figures.rollups import IndicatorPerformance, IndicatorValue, RankBy
from areagraph.schema.sources import AreaEvent, EventKind, SourceValue


@strawberry.type(description="A DOPA area: the country, a province, a district or a subdistrict.")
class Area:
    code: str = strawberry.field(description="DOPA code: TH, 2, 4 or 6 digits.")
    level: AreaLevel
    name_th: str
    name_en: str
    postal_codes: list[str] = strawberry.field(description="Thailand Post codes (subdistricts).")
    row: strawberry.Private[AreaRow]

    @classmethod
    def from_row(cls, row: AreaRow) -> Area:
        return cls(code=row["code"], level=AreaLevel(row["level"]), name_th=row["name_th"],
                   name_en=row["name_en"], postal_codes=list(row["postal_codes"] or []), row=row)

    @strawberry.field(description="The area this one is part of; null for the country.")
    async def parent(self, info: Info) -> Area | None:
        found = await resolve.parent(info, self.row)
        return None if found is None else Area.from_row(found)

    @strawberry.field(description="The areas directly below this one, by code.")
    async def children(self, info: Info) -> list[Area]:
        rows = await resolve.children(info, self.row)
        await prefetch_area_fields(info, [r["code"] for r in rows])
        return [Area.from_row(r) for r in rows]

    @strawberry.field(description="The areas above this one, from the country down.")
    async def ancestors(self, info: Info) -> list[Area]:
        return [Area.from_row(r) for r in await resolve.ancestors(info, self.row)]

    @strawberry.field(description="Recorded figures (current revisions) for one indicator.")
    async def observations(
        self,
        info: Info,
        indicator_code: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None,
    ) -> list[Observation]:
        rows = await resolve.observations(info, self.row, indicator_code, from_, to)
        return [Observation.from_row(r) for r in rows]

    @strawberry.field(description="Figures for these indicators in periods overlapping `period`, "
                      "fetched from the source systems that hold them (one call per source for "
                      "all areas of a list) and merged, with provenance.",
                      metadata=prefetched(VALUES))
    async def indicator_values(self, info: Info, codes: list[str],
                               period: str) -> list[SourceValue]:
        rows = await resolve_sources.indicator_values(info, self.code, codes, period)
        return [SourceValue.from_row(r) for r in rows]

    @strawberry.field(description="Disaster declarations and complaints touching the area in "
                      "`period`, from the source systems; all kinds when `kinds` is omitted.",
                      metadata=prefetched(EVENTS))
    async def events(self, info: Info, period: str,
                     kinds: list[EventKind] | None = None) -> list[AreaEvent]:
        wanted = None if kinds is None else [k.value for k in kinds]
        rows = await resolve_sources.events(info, self.code, wanted, period)
        return [AreaEvent.from_row(r) for r in rows]

    @strawberry.field(description="An indicator's value for a period: the area's own figure or "
                                  "rolled up from below, with coverage. Needs figures access.")
    async def indicator(self, info: Info, code: str, period: str) -> IndicatorValue | None:
        found = await resolve_rollups.figure(info, self.row["code"], code, period)
        return None if found is None else IndicatorValue.of(found)

    @strawberry.field(description="An indicator over a Thai fiscal year against its target.")
    async def performance(self, info: Info, indicator_code: str,
                          fiscal_year: int) -> IndicatorPerformance | None:
        found = await resolve_rollups.performance(info, self.row["code"], indicator_code,
                                                  fiscal_year)
        return None if found is None else IndicatorPerformance.of(found)

    @strawberry.field(description="The children the caller may see, ranked by an indicator's "
                                  "value or achievement of target (no figure: last).")
    async def ranked_children(self, info: Info, indicator_code: str, period: str,
                              by: RankBy = RankBy.VALUE,
                              descending: bool = True) -> list[RankedArea]:
        return await ranked_children(info, self.row, indicator_code, period, by, descending)


@strawberry.type
class AreaQuery:
    @strawberry.field(description="One area by DOPA code; null when no area has the code.")
    async def area(self, info: Info, code: str) -> Area | None:
        row = await resolve.area(info, code)
        return None if row is None else Area.from_row(row)

    @strawberry.field(description="Areas, filtered by level, parent or a Thai/English name.")
    async def areas(
        self,
        info: Info,
        level: AreaLevel | None = None,
        parent_code: str | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Area]:
        page, total = await resolve.areas(
            info, level=level.value if level else None, parent_code=parent_code, search=search,
            first=first, after=decode_cursor("area", after),
        )
        await prefetch_area_fields(info, [r["code"] for r in page.rows], ("edges", "node"))
        nodes = [Area.from_row(r) for r in page.rows]
        return connection(nodes, [n.code for n in nodes], "area", page.has_next,
                          page.has_previous, total)


@strawberry.type(description="One figure for an indicator, area and period (a revision).")
class Observation:
    indicator_code: str
    area_code: str
    period: str = strawberry.field(description="2026-03, 2026-Q1, 2026, FY2026 or FY2026-Q1.")
    value: float
    revision: int
    source: str
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: ObservationRow) -> Observation:
        return cls(indicator_code=row["indicator_code"], area_code=row["area_code"],
                   period=row["period"], value=row["value"], revision=row["revision"],
                   source=row["source"], recorded_by=row["recorded_by"],
                   recorded_at=row["recorded_at"])

    @strawberry.field(name="yearBE",
                      description="The Buddhist Era year of the period, as Thai users read it.")
    def year_be(self) -> int:
        return parse_period(self.period).year_be

    @strawberry.field
    async def indicator(self, info: Info) -> Indicator | None:
        row = await resolve_indicators.indicator(info, self.indicator_code)
        return None if row is None else Indicator.from_row(row)

    @strawberry.field
    async def area(self, info: Info) -> Area | None:
        row = await info.context.loaders.area.load(self.area_code)
        return None if row is None else Area.from_row(row)


@strawberry.type(description="A child area in a ranking.")
class RankedArea:
    rank: int
    value: IndicatorValue
    row: strawberry.Private[AreaRow]

    @strawberry.field
    def area(self) -> Area:
        return Area.from_row(self.row)


async def ranked_children(info: Info, area_row: AreaRow, indicator_code: str, period: str,
                          by: RankBy, descending: bool) -> list[RankedArea]:
    ranked = await resolve_rollups.ranked_children(info, area_row, indicator_code, period,
                                                   resolve_rollups.RankBy(by.value), descending)
    return [RankedArea(rank=n, value=IndicatorValue.of(fig), row=row) for n, row, fig in ranked]
