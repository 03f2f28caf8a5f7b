"""An indicator's figure for any period it can answer: one of its own periods as recorded and
rolled up, or a longer period made of them (months to a quarter, a year or a fiscal year) by
the indicator's rule over time, saying how many of the shorter periods had a figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import Period, PeriodError, PeriodType, parse_period
from areagraph.domain.figures.aggregation import Rollup
from areagraph.domain.figures.period_series import over_time, periods_within
from areagraph.resolvers.context import Info

Parts = tuple[tuple[str, Rollup], ...]


@dataclass(frozen=True)
class PeriodFigure:
    """A roll-up for the period asked; `parts` are the shorter periods it was made of (None
    when the period is one of the indicator's own)."""

    rollup: Rollup
    parts: Parts | None = None

    @property
    def present(self) -> int | None:
        return None if self.parts is None else sum(r.value is not None for _, r in self.parts)


def _kind(indicator: IndicatorRow) -> PeriodType:
    return PeriodType(indicator["period_type"])


def _spoken(kind: str) -> str:
    return kind.replace("_", " ")


def parse_indicator_period(indicator: IndicatorRow, text: str, argument: str = "period") -> Period:
    """The period, if the indicator has figures for it or for shorter periods making it up."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument=argument) from None
    if period.type is not _kind(indicator) and periods_within(_kind(indicator), period) is None:
        raise BadUserInput(
            f"{indicator['code']} takes {_spoken(indicator['period_type'])} periods or longer "
            f"ones made of them, not {_spoken(period.type.value)} ({period.label})",
            argument=argument)
    return period


def _parts_of(indicator: IndicatorRow, period: Period) -> list[str] | None:
    if period.type is _kind(indicator):
        return None
    return periods_within(_kind(indicator), period) or []


async def period_figures(info: Info, indicator: IndicatorRow,
                         wanted: Sequence[tuple[Period, str]]) -> list[PeriodFigure]:
    """Figures for (period, area) pairs of one indicator: one loader batch for all of them."""
    code = indicator["code"]
    plans = [(period, area, _parts_of(indicator, period)) for period, area in wanted]
    ratio = indicator["aggregation"] == "ratio" and indicator["time_rule"] == "ratio"
    # A ratio names both parts; a missing one loads no indicator, so no figure, as any unknown
    # code does.
    codes = [code, *([indicator["numerator_code"] or "", indicator["denominator_code"] or ""]
                     if ratio else [])]
    keys = list(dict.fromkeys(
        (c, label, area) for period, area, parts in plans
        for label in (parts if parts is not None else [period.label])
        for c in (codes if parts is not None else [code])))
    found = dict(zip(keys, await info.context.loaders.rollup.load_many(keys), strict=True))
    out: list[PeriodFigure] = []
    for period, area, parts in plans:
        if parts is None:
            out.append(PeriodFigure(found[(code, period.label, area)]))
            continue
        series = tuple((label, found[(code, label, area)]) for label in parts)
        value, last = over_time(indicator["time_rule"], [(p, r.value) for p, r in series])
        if ratio:
            value = _ratio_over_time(indicator, [(found[(codes[1], p, area)],
                                                  found[(codes[2], p, area)]) for p in parts])
        base = next((r for p, r in series if p == last), series[-1][1] if series else None)
        rollup = (Rollup(None, 0, 0, 0, own=False) if base is None
                  else replace(base, value=value))
        out.append(PeriodFigure(rollup, series))
    return out


def _ratio_over_time(indicator: IndicatorRow,
                     parts: Sequence[tuple[Rollup, Rollup]]) -> float | None:
    """A ratio over several periods: the total of its numerator over that of its denominator,
    over the periods that have both."""
    both = [(n.value, d.value) for n, d in parts if n.value is not None and d.value is not None]
    denominator = sum(d for _, d in both)
    if not both or not denominator:
        return None
    scale = 100.0 if indicator["unit"] == "percent" else 1.0
    return sum(n for n, _ in both) / denominator * scale
