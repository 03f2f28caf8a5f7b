"""Which rows of a source's answer may become figures, and why the others may not.

A row is kept whole or not at all: it must name a catalogue indicator the source provides, an
area of the scope asked for, a period of the indicator's type that has begun, and a value the
indicator's unit allows. Each refused row is listed with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from areagraph.connectors.base import IndicatorValue, Unmapped
from areagraph.connectors.local.figures.observation_writes import NewFigure
from areagraph.domain.figures.entry_checks import period_problem, value_problem


@dataclass(frozen=True)
class Rejected:
    """A source row kept out of the store: which one, and why."""

    row: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"row": self.row, "reason": self.reason}


def unmapped(rows: Iterable[Unmapped]) -> list[Rejected]:
    return [Rejected(u.key, u.reason) for u in rows]


def sort_rows(values: Iterable[IndicatorValue], indicators: Mapping[str, Any],
              areas: frozenset[str], today: date) -> tuple[list[NewFigure], list[Rejected]]:
    """The rows that pass as figures, and the refused ones with their reasons."""
    figures: list[NewFigure] = []
    rejected: list[Rejected] = []
    seen: set[tuple[str, str, str]] = set()
    for value in values:
        label = f"{value.indicator_code}/{value.area_code}/{value.period}"
        indicator = indicators.get(value.indicator_code)
        reason: str | None = None
        period = None
        if indicator is None:
            reason = "not an indicator this source provides"
        elif value.area_code not in areas:
            reason = f"area {value.area_code!r} is not one asked for"
        else:
            period, reason = period_problem(value.period, indicator["period_type"], today)
            reason = reason or value_problem(indicator["unit"], value.value)
        if reason is None and period is not None:
            key = (value.indicator_code, value.area_code, period.label)
            if key in seen:
                reason = "the source sent this figure twice"
            else:
                seen.add(key)
                figures.append(NewFigure(value.indicator_code, value.area_code, period.label,
                                         period.start, value.value))
                continue
        rejected.append(Rejected(label, reason or "unreadable period"))
    return figures, rejected
