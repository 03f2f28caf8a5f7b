"""What the figure fields do: an area's value for an indicator, its performance, rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from areagraph.auth.policy import can_read_figures, require_figures, require_principal
from areagraph.connectors.local.areas import AreaRow
from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import Period, parse_period
from areagraph.domain.figures.aggregation import Rollup
from areagraph.domain.figures.performance import Status, achievement, fiscal_year_value, status
from areagraph.domain.figures.period_series import periods_back, periods_of_fiscal_year
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures.period_figures import (
    PeriodFigure,
    parse_indicator_period,
    period_figures,
)

FISCAL_YEARS_IN_TREND = 5


class RankBy(StrEnum):
    VALUE = "value"
    ACHIEVEMENT = "achievement"


def today() -> date:
    """Today in Bangkok, the day that decides what is "in the future"."""
    return to_bangkok(utcnow()).date()


@dataclass(frozen=True)
class Figure:
    """One indicator's value for one area and period, with how it was obtained."""

    indicator: IndicatorRow
    area_code: str
    period: Period
    rollup: Rollup
    over: PeriodFigure | None = None  # set when made of the indicator's shorter periods

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.indicator["code"], self.area_code, self.period.fiscal_year)


@dataclass(frozen=True)
class Performance:
    """An indicator in an area over a fiscal year: its figure against the year's target."""

    indicator: IndicatorRow
    area_code: str
    fiscal_year: int
    value: float | None
    period: str | None  # the last period the value includes
    rollup: Rollup | None  # that period's roll-up (coverage)
    target: float | None
    trend: list[tuple[str, Rollup]]

    @property
    def achievement(self) -> float | None:
        return achievement(self.value, self.target, self.indicator["direction"])

    @property
    def status(self) -> Status | None:
        return status(self.achievement)


async def _indicator(info: Info, code: str) -> IndicatorRow | None:
    return await info.context.loaders.indicator.load(code.strip().upper())


async def figure(info: Info, area_code: str, indicator_code: str,
                 period_text: str) -> Figure | None:
    """`Area.indicator`: null for an unknown indicator; refused outside the caller's reach."""
    indicator = await _indicator(info, indicator_code)
    if indicator is None:
        return None
    require_figures(info.context.principal, area_code, indicator["topic"])
    period = parse_indicator_period(indicator, period_text)
    [found] = await period_figures(info, indicator, [(period, area_code)])
    return _figure(indicator, area_code, period, found)


def _figure(indicator: IndicatorRow, area_code: str, period: Period, found: PeriodFigure) -> Figure:
    return Figure(indicator, area_code, period, found.rollup,
                  None if found.parts is None else found)


async def target_of(info: Info, fig: Figure) -> float | None:
    return await info.context.loaders.target.load(fig.key)


async def trend(info: Info, fig: Figure, last: int) -> list[tuple[str, Rollup]]:
    if not 1 <= last <= 60:
        raise BadUserInput("last must be between 1 and 60", argument="last")
    labels = periods_back(fig.period, last)
    found = await period_figures(info, fig.indicator,
                                 [(parse_period(label), fig.area_code) for label in labels])
    return [(label, f.rollup) for label, f in zip(labels, found, strict=True)]


def _fiscal_periods(indicator: IndicatorRow, fiscal_year: int) -> list[str]:
    if indicator["period_type"] == "fiscal_year":
        first = fiscal_year - FISCAL_YEARS_IN_TREND + 1
        return [f"FY{y}" for y in range(first, fiscal_year + 1)
                if parse_period(f"FY{y}").start <= today()]
    return periods_of_fiscal_year(fiscal_year, indicator["period_type"], today())


async def performances(info: Info, area_code: str, indicators: list[IndicatorRow],
                       fiscal_year: int) -> list[Performance]:
    """Each indicator's fiscal-year figure, target and trend: one batch for all of them."""
    loaders = info.context.loaders
    plans = [(ind, _fiscal_periods(ind, fiscal_year)) for ind in indicators]
    keys = [(ind["code"], label, area_code) for ind, labels in plans for label in labels]
    found = dict(zip(keys, await loaders.rollup.load_many(keys), strict=True))
    goals = await loaders.target.load_many([(ind["code"], area_code, fiscal_year)
                                            for ind in indicators])
    out: list[Performance] = []
    for (ind, labels), goal in zip(plans, goals, strict=True):
        series = [(label, found[(ind["code"], label, area_code)]) for label in labels]
        this_year = [(label, r.value) for label, r in series
                     if parse_period(label).fiscal_year == fiscal_year]
        value, last = fiscal_year_value(ind["time_rule"], this_year)
        rollup = None if last is None else found[(ind["code"], last, area_code)]
        out.append(Performance(ind, area_code, fiscal_year, value, last, rollup, goal, series))
    return out


async def performance(info: Info, area_code: str, indicator_code: str,
                      fiscal_year: int) -> Performance | None:
    indicator = await _indicator(info, indicator_code)
    if indicator is None:
        return None
    require_figures(info.context.principal, area_code, indicator["topic"])
    year = inputs.fiscal_year(fiscal_year)
    assert year is not None
    [found] = await performances(info, area_code, [indicator], year)
    return found


async def ranked_children(info: Info, area_row: AreaRow, indicator_code: str, period_text: str,
                          by: RankBy, descending: bool) -> list[tuple[int, AreaRow, Figure]]:
    """The children the caller may see, ranked by value or achievement (no figure: last)."""
    indicator = await _indicator(info, indicator_code)
    if indicator is None:
        raise BadUserInput(f"unknown indicator {indicator_code!r}", argument="indicatorCode")
    principal = require_principal(info.context.principal)
    period = parse_indicator_period(indicator, period_text)
    loaders = info.context.loaders
    children = [c for c in await loaders.children.load(area_row["code"])
                if can_read_figures(principal, c["code"], indicator["topic"])]
    found = await period_figures(info, indicator, [(period, c["code"]) for c in children])
    figures = [_figure(indicator, c["code"], period, f)
               for c, f in zip(children, found, strict=True)]
    if by is RankBy.ACHIEVEMENT:
        goals = await loaders.target.load_many([f.key for f in figures])
        scores = [achievement(f.rollup.value, g, indicator["direction"])
                  for f, g in zip(figures, goals, strict=True)]
    else:
        scores = [f.rollup.value for f in figures]
    order = sorted(range(len(children)), key=lambda i: _rank_key(scores[i], descending,
                                                                 children[i]["code"]))
    return [(n + 1, children[i], figures[i]) for n, i in enumerate(order)]


def _rank_key(score: float | None, descending: bool, code: str) -> tuple[int, float, str]:
    if score is None:
        return (1, 0.0, code)
    return (0, -score if descending else score, code)
