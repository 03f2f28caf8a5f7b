"""Indicators and the agencies that own them (their observations are an area's: schema/areas.py)."""

from __future__ import annotations

import strawberry

from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import indicators as resolve
from areagraph.resolvers.figures.indicators import AgencyRow, IndicatorRow
from areagraph.schema.enums import (
    AgencyKind,
    Aggregation,
    AreaLevel,
    Dimension,
    Direction,
    PeriodType,
    Topic,
)


@strawberry.type(description="A department, state enterprise or centre of the ministry.")
class Agency:
    code: str
    kind: AgencyKind
    name_th: str
    name_en: str

    @classmethod
    def from_row(cls, row: AgencyRow) -> Agency:
        return cls(code=row["code"], kind=AgencyKind(row["kind"]), name_th=row["name_th"],
                   name_en=row["name_en"])


@strawberry.type(description="A measure the ministry follows, and how it rolls up the area tree.")
class Indicator:
    code: str
    name_th: str
    name_en: str
    unit: str
    topic: Topic
    sdg_codes: list[str] = strawberry.field(description="UN SDG indicator codes, e.g. 6.3.1.")
    dimension: Dimension | None = strawberry.field(description="ThaiQM poverty dimension.")
    aggregation: Aggregation
    period_type: PeriodType
    direction: Direction
    source: str = strawberry.field(description="The source system that provides the figures.")
    entry_levels: list[AreaLevel] = strawberry.field(
        description="Area levels at which officials may record figures."
    )
    numerator_code: str | None
    denominator_code: str | None
    weight_code: str | None
    time_rule: str = strawberry.field(
        description="How its periods make a longer one: sum (a flow), last, mean or max (a "
                    "stock), ratio (total numerator over total denominator).")
    agency_code: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: IndicatorRow) -> Indicator:
        return cls(
            code=row["code"], name_th=row["name_th"], name_en=row["name_en"], unit=row["unit"],
            topic=Topic(row["topic"]), sdg_codes=list(row["sdg_codes"]),
            dimension=Dimension(row["dimension"]) if row["dimension"] else None,
            aggregation=Aggregation(row["aggregation"]),
            period_type=PeriodType(row["period_type"]), direction=Direction(row["direction"]),
            source=row["source"], entry_levels=[AreaLevel(x) for x in row["entry_levels"]],
            numerator_code=row["numerator_code"], denominator_code=row["denominator_code"],
            weight_code=row["weight_code"], time_rule=row["time_rule"],
            agency_code=row["agency_code"],
        )

    @strawberry.field(description="The agency that owns the indicator.")
    async def agency(self, info: Info) -> Agency:
        return Agency.from_row(await resolve.owning_agency(info, self.agency_code))


@strawberry.type
class IndicatorQuery:
    @strawberry.field(description="The indicator catalogue, filtered by topic, SDG or dimension.")
    async def indicators(
        self,
        info: Info,
        topic: Topic | None = None,
        sdg_goal: str | None = None,
        dimension: Dimension | None = None,
    ) -> list[Indicator]:
        rows = await resolve.indicators(
            info, topic=topic.value if topic else None,
            dimension=dimension.value if dimension else None, sdg_goal=sdg_goal,
        )
        return [Indicator.from_row(r) for r in rows]

    @strawberry.field(description="One indicator by code; null when unknown.")
    async def indicator(self, info: Info, code: str) -> Indicator | None:
        row = await resolve.indicator(info, code)
        return None if row is None else Indicator.from_row(row)

    @strawberry.field(description="The ministry's agencies.")
    async def agencies(self, info: Info) -> list[Agency]:
        return [Agency.from_row(r) for r in await resolve.agencies(info)]
