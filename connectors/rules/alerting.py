"""Alert thresholds: whether a figure breaches a rule."""

from __future__ import annotations

import operator
from collections.abc import Callable

COMPARATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def breaches(value: float, comparator: str, threshold: float) -> bool:
    """True when `value` <comparator> `threshold` holds, i.e. the alert condition is met."""
    try:
        compare = COMPARATORS[comparator]
    except KeyError:
        raise ValueError(f"unknown comparator {comparator!r}") from None
    return compare(value, threshold)
