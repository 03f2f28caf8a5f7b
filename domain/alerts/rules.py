"""Alert thresholds: whether a figure breaches a rule."""

from __future__ import annotations

import operator
from collections.abc import Callable

from areagraph.core.validation import number_problem, percent_problem

COMPARATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
SEVERITIES = ("info", "warning", "critical")


def breaches(value: float, comparator: str, threshold: float) -> bool:
    """True when `value` <comparator> `threshold` holds, i.e. the alert condition is met."""
    try:
        compare = COMPARATORS[comparator]
    except KeyError:
        raise ValueError(f"unknown comparator {comparator!r}") from None
    return compare(value, threshold)


def threshold_problem(unit: str, threshold: float) -> str | None:
    """Why a threshold cannot be compared with figures in `unit` (a percentage is 0–100)."""
    problem = number_problem(threshold)
    if problem is not None:
        return f"a threshold {problem}"
    if unit == "percent" and percent_problem(threshold) is not None:
        return "a threshold on a percentage is between 0 and 100"
    return None
