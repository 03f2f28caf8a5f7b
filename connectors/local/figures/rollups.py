"""Roll-up SQL: the sums under many parent areas for one indicator, in one statement.

Area codes are prefixes of their descendants' codes, so "the figures under province 34" is
``substr(area_code, 1, 2) = '34'`` and all 77 provinces are one GROUP BY over the indicator's
current figures for the period (the ``ix_observation_current`` index finds them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ColumnElement,
    Float,
    Numeric,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Area, Observation
from areagraph.core.area_codes import ancestors_of, depth_of
from areagraph.core.periods import PeriodType, label_containing, parse_period
from areagraph.core.validation import finite_or_none

_OBS = Observation.__table__  # type: ignore[attr-defined]
_AREA = Area.__table__  # type: ignore[attr-defined]

StatsKey = tuple[str, str]  # parent area code, period
# Sums are taken as NUMERIC on PostgreSQL, where a double precision sum past 1.8e308 is an
# error; SQLite's sum gives infinity there, which `finite_or_none` reads as no value.
_WIDE = Float().with_variant(Numeric(), "postgresql")
_CENSUS: WeakKeyDictionary[Database, dict[str, dict[int, int]]] = WeakKeyDictionary()


@dataclass(frozen=True)
class LevelStats:
    """The sums over one parent's figures recorded at one depth (one SQL group).

    `rows` counts areas with a figure; `reported` those usable by the rule (a weighted mean
    needs the weight, a ratio both parts). `sum_v` / `sum_w` are the value (numerator) and
    weight (denominator) sums over usable areas, `sum_vw` the weighted values.
    """

    depth: int
    rows: int
    reported: int
    sum_v: float | None = None
    sum_vw: float | None = None
    sum_w: float | None = None
    max_v: float | None = None


def _parent_key(code: ColumnElement[Any], length: int) -> ColumnElement[Any]:
    return literal_column("'TH'") if length == 0 else func.substr(code, 1, length)


def _grouping(key: ColumnElement[Any], length: int) -> list[ColumnElement[Any]]:
    return [] if length == 0 else [key]  # PostgreSQL refuses a constant in GROUP BY


def _depth(code: ColumnElement[Any], length: int) -> ColumnElement[Any]:
    """The level as code length; only under the country can ``TH`` itself be in the rows."""
    return case((code == "TH", 0), else_=func.length(code)) if length == 0 else func.length(code)


def _under(code: ColumnElement[Any], parents: Sequence[str], length: int) -> ColumnElement[bool]:
    if length == 0:
        return code.is_not(None)
    return and_(func.substr(code, 1, length).in_(list(parents)), func.length(code) >= length)


def _value_rows(indicator: Mapping[str, Any], weight_period_type: str | None,
                periods: Sequence[str], parents: Sequence[str], length: int) -> Any:
    """One row per area and period with the value `v` and weight or denominator `w`."""
    rule = indicator["aggregation"]
    if rule == "ratio":
        num, den = indicator["numerator_code"], indicator["denominator_code"]
        return (
            select(
                _OBS.c.area_code, _OBS.c.period,
                func.max(case((_OBS.c.indicator_code == num, _OBS.c.value))).label("v"),
                func.max(case((_OBS.c.indicator_code == den, _OBS.c.value))).label("w"),
            )
            .where(_OBS.c.indicator_code.in_([num, den]), _OBS.c.period.in_(list(periods)),
                   _OBS.c.is_current.is_(True), _under(_OBS.c.area_code, parents, length))
            .group_by(_OBS.c.area_code, _OBS.c.period)
            .subquery()
        )
    value = _OBS.alias("v")
    filters = [value.c.indicator_code == indicator["code"], value.c.period.in_(list(periods)),
               value.c.is_current.is_(True), _under(value.c.area_code, parents, length)]
    if rule != "weighted_mean" or not weight_period_type:
        return select(value.c.area_code, value.c.period, value.c.value.label("v"),
                      cast(null(), Float).label("w")).where(*filters).subquery()
    kind = PeriodType(weight_period_type)
    labels = {p: label_containing(kind, parse_period(p).start) for p in periods}
    # The weights as their own filtered set: the planner hashes them once instead of looking
    # up one weight per figure.
    weight_rows = _OBS.alias("w")
    weight = (select(weight_rows.c.area_code, weight_rows.c.period, weight_rows.c.value)
              .where(weight_rows.c.indicator_code == indicator["weight_code"],
                     weight_rows.c.period.in_(sorted(set(labels.values()))),
                     weight_rows.c.is_current.is_(True),
                     _under(weight_rows.c.area_code, parents, length))
              .subquery("weights"))
    joined = value.outerjoin(weight, and_(
        weight.c.area_code == value.c.area_code,
        weight.c.period == case(labels, value=value.c.period),
    ))
    return (select(value.c.area_code, value.c.period, value.c.value.label("v"),
                   weight.c.value.label("w"))
            .select_from(joined).where(*filters).subquery())


def stats_statement(indicator: Mapping[str, Any], weight_period_type: str | None,
                    periods: Sequence[str], parents: Sequence[str]) -> Any:
    """The grouped sums for parents that all sit at one level."""
    length = depth_of(parents[0])
    rows = _value_rows(indicator, weight_period_type, periods, parents, length)
    v, w = cast(rows.c.v, _WIDE), cast(rows.c.w, _WIDE)
    rule = indicator["aggregation"]
    both = and_(v.is_not(None), w.is_not(None))
    if rule == "ratio":
        reported: Any = func.sum(case((both, 1), else_=0))
        sum_v: Any = func.sum(case((both, v)))
        sum_w: Any = func.sum(case((both, w)))
    else:
        reported = func.count(w) if rule == "weighted_mean" else func.count(v)
        sum_v, sum_w = func.sum(v), func.sum(w)
    key = _parent_key(rows.c.area_code, length).label("parent")
    depth = _depth(rows.c.area_code, length).label("depth")
    return (
        select(key, depth, rows.c.period, func.count().label("rows"), reported.label("reported"),
               sum_v.label("sum_v"), func.sum(v * w).label("sum_vw"), sum_w.label("sum_w"),
               func.max(v).label("max_v"))
        .group_by(*_grouping(key, length), depth, rows.c.period)
    )


async def level_stats(conn: AsyncConnection, indicator: Mapping[str, Any],
                      weight_period_type: str | None, periods: Sequence[str],
                      parents: Sequence[str]) -> dict[StatsKey, list[LevelStats]]:
    """Per (parent, period), the sums of the figures at each depth under the parent."""
    if not parents or not periods:
        return {}
    wanted = set(parents)
    grouped: dict[StatsKey, list[LevelStats]] = defaultdict(list)
    statement = stats_statement(indicator, weight_period_type, periods, parents)
    for row in (await conn.execute(statement)).mappings():
        if row["parent"] not in wanted:
            continue
        grouped[(row["parent"], row["period"])].append(LevelStats(
            depth=int(row["depth"]), rows=int(row["rows"]), reported=int(row["reported"] or 0),
            sum_v=finite_or_none(row["sum_v"]), sum_vw=finite_or_none(row["sum_vw"]),
            sum_w=finite_or_none(row["sum_w"]), max_v=finite_or_none(row["max_v"]),
        ))
    return grouped


async def rollup_stats(db: Database, indicator: Mapping[str, Any],
                       weight_period_type: str | None, periods: Sequence[str],
                       parents: Sequence[str]) -> dict[StatsKey, list[LevelStats]]:
    """`level_stats` for parents at any mix of levels: one statement per level."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for code in set(parents):
        by_length[depth_of(code)].append(code)
    found: dict[StatsKey, list[LevelStats]] = {}
    async with db.engine.connect() as conn:
        for codes in by_length.values():
            found.update(await level_stats(conn, indicator, weight_period_type, periods,
                                           sorted(codes)))
    return found


async def areas_below(db: Database, parents: Sequence[str]) -> dict[str, dict[int, int]]:
    """How many areas each parent has at each depth below it (the denominators of coverage).

    The area tree is reference data that changes only when the seed runs, so it is counted
    once per process (one statement) and then answered from memory.
    """
    census = _CENSUS.get(db)
    if census is None:
        async with db.engine.connect() as conn:
            codes = list((await conn.execute(select(_AREA.c.code))).scalars())
        census = _census(codes)
        _CENSUS[db] = census
    return {code: dict(census.get(code, {})) for code in parents}


def _census(codes: Sequence[str]) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code in codes:
        depth = depth_of(code)
        for parent in ancestors_of(code):
            counts[parent][depth] += 1
    return {parent: dict(by_depth) for parent, by_depth in counts.items()}
