"""The checks a figure must pass before it is recorded, one function per rule.

Each returns the reason a row is refused, or None; `check_row` applies them in order and gives
the first failure, so a refused call can list every bad row with the field at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from areagraph.core.periods import Period, PeriodError, parse_period
from areagraph.core.validation import MAX_BAHT, number_problem

MAX_ROWS = 10_000
_WHOLE_UNITS = frozenset({"persons", "households", "cases"})
_NON_NEGATIVE = frozenset({"THB", "m3", *_WHOLE_UNITS})
_METRES_RANGE = (-100.0, 100.0)


@dataclass(frozen=True)
class RowError:
    index: int
    field: str
    reason: str


def value_problem(unit: str, value: float) -> str | None:
    """Why `value` cannot be a figure in `unit`: finite and of a sane size, percentages 0–100,
    counts whole and ≥ 0, baht ≥ 0 and below `MAX_BAHT`."""
    problem = number_problem(value)
    if problem is not None:
        return f"value {problem}"
    if unit == "THB" and value > MAX_BAHT:
        return f"a figure in THB cannot exceed {MAX_BAHT:,} THB"
    if unit == "percent" and not 0 <= value <= 100:
        return f"a percentage must be between 0 and 100, got {value:g}"
    if unit in _NON_NEGATIVE and value < 0:
        return f"a figure in {unit} cannot be negative, got {value:g}"
    if unit in _WHOLE_UNITS and value != int(value):
        return f"a count of {unit} must be a whole number, got {value:g}"
    if unit == "metres" and not _METRES_RANGE[0] <= value <= _METRES_RANGE[1]:
        return f"a level in metres must be between -100 and 100, got {value:g}"
    return None


def period_problem(text: str, period_type: str, today: date) -> tuple[Period | None, str | None]:
    """The parsed period, or why it is refused (wrong form, wrong type, not begun yet)."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        return None, str(exc)
    if period.type.value != period_type:
        return None, (f"this indicator takes {period_type.replace('_', ' ')} periods, "
                      f"not {period.type.value.replace('_', ' ')} ({period.label})")
    if period.start > today:
        return None, f"period {period.label} is in the future"
    return period, None


def level_problem(indicator: Mapping[str, Any], area_level: str) -> str | None:
    levels = list(indicator["entry_levels"])
    if not levels:
        return (f"{indicator['code']} is not entered by hand: it comes from "
                f"{indicator['source']}" + (" or is computed" if indicator["aggregation"] ==
                                            "ratio" else ""))
    if area_level not in levels:
        return (f"{indicator['code']} is recorded for {' or '.join(levels)} areas, "
                f"not a {area_level}")
    return None


def check_row(index: int, indicator: Mapping[str, Any] | None, area_code: str,
              area_level: str | None, period_text: str, value: float,
              today: date) -> tuple[Period | None, RowError | None]:
    """The first rule a row breaks (indicator, area, level, period, value), if any."""
    if indicator is None:
        return None, RowError(index, "indicatorCode", "unknown indicator")
    if area_level is None:
        return None, RowError(index, "areaCode", f"unknown area {area_code!r}")
    problem = level_problem(indicator, area_level)
    if problem:
        return None, RowError(index, "areaCode", problem)
    period, problem = period_problem(period_text, indicator["period_type"], today)
    if problem:
        return None, RowError(index, "period", problem)
    problem = value_problem(indicator["unit"], value)
    if problem:
        return None, RowError(index, "value", problem)
    return period, None
