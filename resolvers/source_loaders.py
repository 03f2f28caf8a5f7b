"""Per-request loaders that call each source system once per query level, for every area.

A loader exists per source and kind of fetch; keys are (area code, what, from, to). All the
keys of one level arrive in one batch, so a list of 5 or 1,000 areas costs each source one
call, and the loaders of different sources dispatch in the same tick, so sources are called
at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic

from aiodataloader import DataLoader

from api.errors import AppError
from connectors.base import EventRequest, IndicatorValue, Row, SourceEvent, Unmapped, ValueRequest
from connectors.registry import SourceRegistry
from connectors.resilient import Outcome, ResilientSource

SourceKey = tuple[str, tuple[str, ...], date, date]  # area, indicator codes or kinds, from, to
_Fetch = Callable[[tuple[str, ...], tuple[str, ...], date, date], Awaitable[Outcome[Any]]]


@dataclass
class SourceReport:
    """What went wrong with sources during one request: one error per source, unmapped rows."""

    errors: dict[str, AppError] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)

    def failed(self, source: str, error: AppError) -> None:
        self.errors.setdefault(source, error)


class _SourceLoader(DataLoader[SourceKey, list[Row]], Generic[Row]):
    def __init__(self, source: str, fetch: _Fetch, report: SourceReport) -> None:
        super().__init__()
        self._source = source
        self._fetch = fetch
        self._report = report

    async def batch_load_fn(self, keys: Sequence[SourceKey]) -> list[list[Row]]:
        groups: dict[tuple[tuple[str, ...], date, date], list[str]] = {}
        for area, what, start, end in keys:
            groups.setdefault((what, start, end), []).append(area)
        outcomes = await asyncio.gather(*(self._fetch(tuple(areas), what, start, end)
                                          for (what, start, end), areas in groups.items()))
        found: dict[SourceKey, list[Row]] = {}
        for ((what, start, end), areas), outcome in zip(groups.items(), outcomes, strict=True):
            self._report.unmapped.extend(outcome.unmapped)
            if outcome.error is not None:
                self._report.failed(self._source, outcome.error)
            for area in areas:
                found[(area, what, start, end)] = outcome.rows.get(area, [])
        return [found[key] for key in keys]


class ValuesBySourceLoader(_SourceLoader[IndicatorValue]):
    def __init__(self, source: ResilientSource, report: SourceReport) -> None:
        async def fetch(areas: tuple[str, ...], codes: tuple[str, ...], start: date,
                        end: date) -> Outcome[IndicatorValue]:
            return await source.values(ValueRequest(areas, codes, start, end))

        super().__init__(source.name, fetch, report)


class EventsBySourceLoader(_SourceLoader[SourceEvent]):
    def __init__(self, source: ResilientSource, report: SourceReport) -> None:
        async def fetch(areas: tuple[str, ...], kinds: tuple[str, ...], start: date,
                        end: date) -> Outcome[SourceEvent]:
            return await source.events(EventRequest(areas, kinds, start, end))

        super().__init__(source.name, fetch, report)


class SourceLoaders:
    """The source loaders of one request, made on first use."""

    def __init__(self, registry: SourceRegistry) -> None:
        self.registry = registry
        self.report = SourceReport()
        self.plans: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}  # codes → by source
        self._values: dict[str, ValuesBySourceLoader] = {}
        self._events: dict[str, EventsBySourceLoader] = {}

    def values(self, source: ResilientSource) -> ValuesBySourceLoader:
        if source.name not in self._values:
            self._values[source.name] = ValuesBySourceLoader(source, self.report)
        return self._values[source.name]

    def events(self, source: ResilientSource) -> EventsBySourceLoader:
        if source.name not in self._events:
            self._events[source.name] = EventsBySourceLoader(source, self.report)
        return self._events[source.name]

    def shortest_cache_ttl(self) -> float:
        """The shortest answer-cache lifetime of the sources this request consulted (infinite
        when it consulted none): how long an answer built from them may be reused."""
        consulted = (self.registry.get(name) for name in {*self._values, *self._events})
        return min((s.config.cache_ttl for s in consulted if s is not None),
                   default=float("inf"))
