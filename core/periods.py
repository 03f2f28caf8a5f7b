"""Reporting periods as people in the ministry write them.

``2026-03`` a month, ``2026-Q1`` a calendar quarter, ``2026`` a calendar year, ``FY2026`` a Thai
fiscal year (1 Oct 2025 – 30 Sep 2026) and ``FY2026-Q1`` its first quarter (Oct–Dec 2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from areagraph.core.clock import BANGKOK
from areagraph.core.errors import BadUserInput
from areagraph.core.validation import shown

BE_OFFSET = 543


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"
    FISCAL_QUARTER = "fiscal_quarter"


class PeriodError(ValueError):
    """A period string that is not one of the accepted forms."""


_PATTERNS: list[tuple[re.Pattern[str], PeriodType]] = [
    (re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$"), PeriodType.MONTH),
    (re.compile(r"^([0-9]{4})-Q([1-4])$"), PeriodType.QUARTER),
    (re.compile(r"^([0-9]{4})$"), PeriodType.YEAR),
    (re.compile(r"^FY([0-9]{4})$"), PeriodType.FISCAL_YEAR),
    (re.compile(r"^FY([0-9]{4})-Q([1-4])$"), PeriodType.FISCAL_QUARTER),
]


@dataclass(frozen=True, slots=True)
class Period:
    """A parsed period: its canonical label, kind and first and last days."""

    label: str
    type: PeriodType
    start: date
    end: date

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.start)

    @property
    def year_be(self) -> int:
        """The Buddhist Era year Thai users read: the fiscal year's for fiscal periods."""
        if self.type in (PeriodType.FISCAL_YEAR, PeriodType.FISCAL_QUARTER):
            return self.fiscal_year + BE_OFFSET
        return self.start.year + BE_OFFSET

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """Parse a period label; raise `PeriodError` with the accepted forms when it is not one."""
    label = text.strip().upper()
    for pattern, kind in _PATTERNS:
        found = pattern.match(label)
        if found is None:
            continue
        year = int(found.group(1))
        if not 1900 <= year <= 2200:
            break
        part = int(found.group(2)) if found.lastindex and found.lastindex > 1 else 0
        start, end = _bounds(kind, year, part)
        return Period(label, kind, start, end)
    raise PeriodError(
        f"invalid period {shown(text)}: use 2026-03, 2026-Q1, 2026, FY2026 or FY2026-Q1"
    )


def period_argument(text: str, argument: str = "period") -> Period:
    """A period a client sent; a refusal is `BadUserInput` naming the argument."""
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument=argument) from None


def fiscal_year_argument(year: int | None, argument: str = "fiscalYear") -> int | None:
    """A fiscal year a client sent (CE, 1990–2100), or None when none was sent."""
    if year is None:
        return None
    if year > 2400:
        raise BadUserInput(
            f"fiscal year {year} looks like a Buddhist Era year; send CE ({year - 543})",
            argument=argument,
        )
    if not 1990 <= year <= 2100:
        raise BadUserInput(f"fiscal year {year} is out of range", argument=argument)
    return year


def _bounds(kind: PeriodType, year: int, part: int) -> tuple[date, date]:
    if kind is PeriodType.MONTH:
        return date(year, part, 1), _month_end(year, part)
    if kind is PeriodType.QUARTER:
        first = 3 * (part - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    if kind is PeriodType.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    if kind is PeriodType.FISCAL_YEAR:
        return date(year - 1, 10, 1), date(year, 9, 30)
    first_month = 10 + 3 * (part - 1)
    start_year = year - 1 if first_month <= 12 else year
    first_month = (first_month - 1) % 12 + 1
    end_month = first_month + 2
    return date(start_year, first_month, 1), _month_end(start_year, end_month)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt - timedelta(days=1)


def fiscal_year_of(day: date) -> int:
    """The Thai fiscal year a day falls in: named by the year it ends in."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_period(fiscal_year: int) -> Period:
    return parse_period(f"FY{fiscal_year}")


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def fiscal_quarter_label(day: date) -> str:
    fy = fiscal_year_of(day)
    quarter = ((day.month - 10) % 12) // 3 + 1
    return f"FY{fy}-Q{quarter}"


def label_containing(kind: PeriodType, start: date) -> str:
    """The label of the period of `kind` that contains the day `start`."""
    if kind is PeriodType.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if kind is PeriodType.QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if kind is PeriodType.YEAR:
        return f"{start.year:04d}"
    if kind is PeriodType.FISCAL_YEAR:
        return f"FY{start.year + 1 if start.month >= 10 else start.year}"
    return fiscal_quarter_label(start)


def be_to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) instants: days begin at midnight Bangkok time."""
    start = datetime.combine(period.start, time(), BANGKOK).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(), BANGKOK).astimezone(UTC)
    return start, end
