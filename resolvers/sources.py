"""What the source-backed fields do: fan out to the systems that hold the data, merge by area.

The area codes sent to sources are those of the areas the query has already resolved, so
whatever limits the areas a caller may see limits the source calls too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from areagraph.auth.policy import can_read_event, require_events, require_figures
from areagraph.connectors.base import IndicatorValue, SourceEvent
from areagraph.connectors.health import SourceHealth
from areagraph.connectors.local.catalogue import indicators
from areagraph.connectors.resilient import Circuit, ResilientSource
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import Period, PeriodError, parse_period
from areagraph.resolvers.context import Info
from areagraph.resolvers.source_loaders import SourceAnswer, SourceLoaders


@cache
def _catalogue_topics() -> dict[str, str]:
    return {i.code: i.topic for i in indicators()}


@lru_cache(maxsize=256)
def period_argument(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument="period") from None


@dataclass(frozen=True)
class ValuesAsk:
    """Valid arguments of an area's indicator values: known codes, their topics, the period."""

    codes: tuple[str, ...]
    topics: tuple[str, ...]
    period: Period


@lru_cache(maxsize=1024)
def values_ask(codes: tuple[str, ...], period_text: str) -> ValuesAsk:
    wanted = tuple(sorted({c.strip().upper() for c in codes}))
    topics = _catalogue_topics()
    for code in wanted:
        if code not in topics:
            raise BadUserInput(f"unknown indicator {code!r}", argument="codes")
    return ValuesAsk(wanted, tuple(sorted({topics[c] for c in wanted})),
                     period_argument(period_text))


def kinds_asked(loaders: SourceLoaders, kinds: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(kinds) if kinds is not None else loaders.registry.event_kinds))


def _answered(info: Info, answer: SourceAnswer[Any]) -> list[Any]:
    if answer.failed:
        info.context.source_loaders.report.missing_at(answer.failed, tuple(info.path.as_list()))
    return answer.rows


async def indicator_values(info: Info, area_code: str, codes: Sequence[str],
                           period_text: str) -> list[IndicatorValue]:
    ask = values_ask(tuple(codes), period_text)
    for topic in ask.topics:
        require_figures(info.context.principal, area_code, topic)
    answer = await info.context.source_loaders.values.load(
        (area_code, ask.codes, ask.period.start, ask.period.end))
    return _answered(info, answer)


async def events(info: Info, area_code: str, kinds: Sequence[str] | None,
                 period_text: str) -> list[SourceEvent]:
    period = period_argument(period_text)
    principal = require_events(info.context.principal, area_code)
    loaders = info.context.source_loaders
    answer = await loaders.events.load(
        (area_code, kinds_asked(loaders, kinds), period.start, period.end))
    return [event for event in _answered(info, answer)
            if can_read_event(principal, event.kind, event.area_codes or (event.area_code,),
                              event.agency_code)]


@dataclass(frozen=True)
class SourceState:
    """A configured source system as it stands: what it provides, its circuit, its health and
    the last sync of its figures into the store (a row; None if never synced)."""

    name: str
    kind: str
    agency: str
    indicator_codes: list[str]
    event_kinds: list[str]
    circuit: Circuit
    health: SourceHealth
    synced: Any | None


async def sources(info: Info) -> list[SourceState]:
    found: list[ResilientSource] = list(info.context.source_loaders.registry)
    synced = await info.context.loaders.sync_state.load_many([s.name for s in found])
    return [SourceState(name=s.name, kind=s.config.kind, agency=s.agency,
                        indicator_codes=sorted(s.provides.indicators),
                        event_kinds=sorted(s.provides.event_kinds),
                        circuit=await s.circuit(), health=s.health, synced=state)
            for s, state in zip(found, synced, strict=True)]
