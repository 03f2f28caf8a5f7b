"""Indicator, agency and complaint-category lookups: small tables, read in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict, cast

from sqlalchemy import select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Agency, ComplaintCategory, Indicator

_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]
_AGENCY = Agency.__table__  # type: ignore[attr-defined]
_CATEGORY = ComplaintCategory.__table__  # type: ignore[attr-defined]


class IndicatorRow(TypedDict):
    """A row of the `indicator` table."""

    code: str
    name_th: str
    name_en: str
    unit: str
    topic: str
    sdg_codes: list[str]
    dimension: str | None
    aggregation: str
    numerator_code: str | None
    denominator_code: str | None
    weight_code: str | None
    period_type: str
    direction: str
    agency_code: str
    source: str
    entry_levels: list[str]
    time_rule: str


class AgencyRow(TypedDict):
    """A row of the `agency` table."""

    code: str
    kind: str
    name_th: str
    name_en: str


class CategoryRow(TypedDict):
    """A row of the `complaint_category` table."""

    code: str
    name_th: str
    name_en: str
    sla_days: int


async def list_indicators(db: Database, *, topic: str | None, dimension: str | None,
                          sdg_goal: str | None) -> list[IndicatorRow]:
    statement = select(_INDICATOR).order_by(_INDICATOR.c.code)
    if topic is not None:
        statement = statement.where(_INDICATOR.c.topic == topic)
    if dimension is not None:
        statement = statement.where(_INDICATOR.c.dimension == dimension)
    async with db.engine.connect() as conn:
        rows = cast(list[IndicatorRow], list((await conn.execute(statement)).mappings()))
    if sdg_goal is not None:
        # SDG codes are a short JSON list per row; matching in Python keeps one query on both
        # databases without dialect-specific JSON operators.
        rows = [r for r in rows if any(_in_goal(c, sdg_goal) for c in r["sdg_codes"])]
    return rows


def _in_goal(code: str, goal: str) -> bool:
    return code == goal or code.startswith(f"{goal}.")


async def indicators_by_codes(db: Database, codes: Sequence[str]) -> dict[str, IndicatorRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(
            select(_INDICATOR).where(_INDICATOR.c.code.in_(list(set(codes))))
        )
        return {r["code"]: cast(IndicatorRow, r) for r in result.mappings()}


async def agencies_by_codes(db: Database, codes: Sequence[str]) -> dict[str, AgencyRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(select(_AGENCY).where(_AGENCY.c.code.in_(list(set(codes)))))
        return {r["code"]: cast(AgencyRow, r) for r in result.mappings()}


async def list_agencies(db: Database) -> list[AgencyRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(select(_AGENCY).order_by(_AGENCY.c.code))
        return cast(list[AgencyRow], list(result.mappings()))


async def categories_by_codes(db: Database, codes: Sequence[str]) -> dict[str, CategoryRow]:
    async with db.engine.connect() as conn:
        result = await conn.execute(
            select(_CATEGORY).where(_CATEGORY.c.code.in_(list(set(codes))))
        )
        return {r["code"]: cast(CategoryRow, r) for r in result.mappings()}
