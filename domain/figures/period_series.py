"""Runs of periods: the ones before a period (for trends), those of a fiscal year, those that
make up a longer period, and how an indicator's figures over such a run add up to one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from areagraph.core.periods import Period, PeriodType, label_containing, parse_period

_STEP_MONTHS = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.FISCAL_QUARTER: 3,
                PeriodType.YEAR: 12, PeriodType.FISCAL_YEAR: 12}


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods_back(period: Period, count: int) -> list[str]:
    """`count` periods of the same type ending with `period`, oldest first."""
    step = _STEP_MONTHS[period.type]
    return [label_containing(period.type, _shift(period.start, -step * n))
            for n in range(count - 1, -1, -1)]


def periods_of_fiscal_year(fiscal_year: int, period_type: str, today: date) -> list[str]:
    """The periods of `period_type` inside a fiscal year that have begun by `today`."""
    kind = PeriodType(period_type)
    year = parse_period(f"FY{fiscal_year}")
    if kind in (PeriodType.FISCAL_YEAR, PeriodType.YEAR):
        label = f"FY{fiscal_year}" if kind is PeriodType.FISCAL_YEAR else str(fiscal_year)
        return [label] if parse_period(label).start <= today else []
    out: list[str] = []
    start = year.start
    while start <= year.end and start <= today:
        label = label_containing(kind, start)
        if parse_period(label).start >= year.start:
            out.append(label)
        start = _shift(start, _STEP_MONTHS[kind])
    return out


TIME_RULES = ("sum", "last", "mean", "max", "ratio")


def periods_within(kind: PeriodType, period: Period) -> list[str] | None:
    """The periods of `kind` that make up `period` exactly, oldest first; None when they do
    not (a longer kind, or one whose periods straddle its bounds)."""
    labels: list[str] = []
    day = period.start
    while day <= period.end:
        part = parse_period(label_containing(kind, day))
        if part.start < period.start or part.end > period.end:
            return None
        labels.append(part.label)
        day = part.end + timedelta(days=1)
    return labels


def over_time(rule: str, points: Sequence[tuple[str, float | None]]
              ) -> tuple[float | None, str | None]:
    """Figures of consecutive periods (oldest first) as one, and the last period with one.

    A flow sums (households affected per month make the year's); a stock takes the last
    figure, or the mean or the maximum of those present. A ratio is the ratio of its parts'
    totals, which the caller computes; given only the ratios it reads the last.
    """
    present = [(p, v) for p, v in points if v is not None]
    if not present:
        return None, None
    last = present[-1][0]
    values = [v for _, v in present]
    if rule == "sum":
        return sum(values), last
    if rule == "mean":
        return sum(values) / len(values), last
    if rule == "max":
        return max(values), last
    if rule in ("last", "ratio"):
        return values[-1], last
    raise ValueError(f"unknown rule over time {rule!r}")
