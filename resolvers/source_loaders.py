"""Per-request loaders that call each source system once per query level, for every area.

One loader for indicator values and one for events; a key is (area code, indicator codes or
event kinds, from, to). All the keys of one level arrive in one batch, which calls every source
that holds part of the answer once, for all the areas (the calls leave one after another and
are answered at the same time), and merges their rows by area. So a list of 5 or 1,000 areas
costs each source one call, and each area's field awaits one future, whatever the number of
sources.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Generic

from aiodataloader import DataLoader

from areagraph.connectors.base import (
    EventRequest,
    IndicatorValue,
    Row,
    SourceEvent,
    Unmapped,
    ValueRequest,
)
from areagraph.connectors.dispatch import send_slowest_first
from areagraph.connectors.local.catalogue import indicators
from areagraph.connectors.registry import SourceRegistry
from areagraph.connectors.resilient import Outcome, ResilientSource
from areagraph.core.errors import AppError, SourceUnavailable

SourceKey = tuple[str, tuple[str, ...], date, date]  # area, indicator codes or kinds, from, to
Path = tuple[str | int, ...]
# Which sources answer for a tuple of indicator codes or event kinds, and for which of them.
_Plan = Callable[[tuple[str, ...]], dict[str, tuple[ResilientSource, tuple[str, ...]]]]
_Fetch = Callable[[ResilientSource, tuple[str, ...], tuple[str, ...], date, date],
                  Awaitable[Outcome[Any]]]


@dataclass(frozen=True)
class SourceAnswer(Generic[Row]):
    """One area's rows from every source asked, and the sources that had no answer for it."""

    rows: list[Row]
    failed: tuple[str, ...] = ()


@dataclass
class SourceReport:
    """What went wrong with sources during one request: one error per source, the first place
    in the response its failure left empty, and the rows sources sent that map to no area."""

    errors: dict[str, AppError] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)

    def failed(self, source: str, error: AppError) -> None:
        self.errors.setdefault(source, error)

    def missing_at(self, sources: Sequence[str], path: Path) -> None:
        for source in sources:
            self.paths.setdefault(source, path)


class _MergingLoader(DataLoader[SourceKey, SourceAnswer[Row]], Generic[Row]):
    def __init__(self, plan: _Plan, fetch: _Fetch, order: Callable[[Row], Any],
                 report: SourceReport) -> None:
        super().__init__()
        self._plan = plan
        self._fetch = fetch
        self._order: Callable[[Row], Any] = order
        self._report = report

    async def batch_load_fn(self, keys: Sequence[SourceKey]) -> list[SourceAnswer[Row]]:
        groups: dict[tuple[tuple[str, ...], date, date], list[str]] = {}
        for area, what, start, end in keys:
            groups.setdefault((what, start, end), []).append(area)
        calls = [(group, areas, source, part)
                 for group, areas in groups.items()
                 for source, part in self._plan(group[0]).values()]
        sent = await send_slowest_first(
            calls, lambda call: call[2].health.latency_ms,
            lambda call: self._fetch(call[2], tuple(call[1]), call[3], call[0][1], call[0][2]))
        outcomes = await asyncio.gather(*(answer for _, answer in sent))
        rows: dict[SourceKey, list[Row]] = {key: [] for key in keys}
        failed: dict[SourceKey, list[str]] = {}
        for ((what, start, end), areas, source, _), outcome in zip(
                (call for call, _ in sent), outcomes, strict=True):
            self._report.unmapped.extend(outcome.unmapped)
            if outcome.error is not None:
                self._report.failed(source.name, outcome.error)
            for area in areas:
                key = (area, what, start, end)
                found = outcome.rows.get(area)
                if found is None:
                    if outcome.error is not None:
                        failed.setdefault(key, []).append(source.name)
                else:
                    rows[key].extend(found)
        return [SourceAnswer(sorted(rows[key], key=self._order), tuple(failed.get(key, ())))
                for key in keys]


@cache
def _owners() -> dict[str, str]:
    """The source system the catalogue names for each indicator."""
    return {i.code: i.source for i in indicators()}


async def _values(source: ResilientSource, areas: tuple[str, ...], codes: tuple[str, ...],
                  start: date, end: date) -> Outcome[IndicatorValue]:
    return await source.values(ValueRequest(areas, codes, start, end))


async def _events(source: ResilientSource, areas: tuple[str, ...], kinds: tuple[str, ...],
                  start: date, end: date) -> Outcome[SourceEvent]:
    return await source.events(EventRequest(areas, kinds, start, end))


def _value_order(value: IndicatorValue) -> tuple[str, str, str]:
    return value.indicator_code, value.period, value.source


def _event_order(event: SourceEvent) -> tuple[date, str, str]:
    return event.started_on, event.source, event.reference


class SourceLoaders:
    """The source loaders of one request, and which source answers what."""

    def __init__(self, registry: SourceRegistry) -> None:
        self.registry = registry
        self.report = SourceReport()
        self._code_plans: dict[tuple[str, ...], dict[str, tuple[ResilientSource,
                                                                tuple[str, ...]]]] = {}
        self._consulted: set[str] = set()
        # Source-backed fields selected below a listing field, by its place in the document.
        self.selections: dict[tuple[str, ...], list[tuple[str, dict[str, Any]]]] = {}
        self.values: _MergingLoader[IndicatorValue] = _MergingLoader(
            self.sources_of_codes, _values, _value_order, self.report)
        self.events: _MergingLoader[SourceEvent] = _MergingLoader(
            self.sources_of_kinds, _events, _event_order, self.report)

    def sources_of_codes(self, codes: tuple[str, ...]
                         ) -> dict[str, tuple[ResilientSource, tuple[str, ...]]]:
        """The sources of these (known) indicator codes, each with its share of them; codes
        whose source system is not configured are reported, once per request."""
        plan = self._code_plans.get(codes)
        if plan is None:
            found: dict[str, tuple[ResilientSource, tuple[str, ...]]] = {}
            for code in codes:
                providers = self.registry.providing_indicator(code)
                if not providers:
                    owner = _owners()[code]
                    self.report.failed(owner, SourceUnavailable(
                        f"no source system is configured for {code}", source=owner,
                        reason="not_configured"))
                for source in providers:
                    _, known = found.get(source.name, (source, ()))
                    found[source.name] = (source, (*known, code))
            plan = self._code_plans[codes] = found
            self._consulted.update(found)
        return plan

    def sources_of_kinds(self, kinds: tuple[str, ...]
                         ) -> dict[str, tuple[ResilientSource, tuple[str, ...]]]:
        found: dict[str, tuple[ResilientSource, tuple[str, ...]]] = {}
        for kind in kinds:
            for source in self.registry.providing_event_kind(kind):
                _, known = found.get(source.name, (source, ()))
                found[source.name] = (source, (*known, kind))
        self._consulted.update(found)
        return found

    def shortest_cache_ttl(self) -> float:
        """The shortest answer-cache lifetime of the sources this request consulted (infinite
        when it consulted none): how long an answer built from them may be reused."""
        consulted = (self.registry.get(name) for name in self._consulted)
        return min((s.config.cache_ttl for s in consulted if s is not None),
                   default=float("inf"))
