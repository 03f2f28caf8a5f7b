"""What the source-backed fields do: fan out to the systems that hold the data, merge by area.

The area codes sent to sources are those of the areas the query has already resolved, so
whatever limits the areas a caller may see limits the source calls too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from strawberry.types.nodes import SelectedField, Selection

from areagraph.auth.policy import can_read_event, can_read_figures, require_events, require_figures
from areagraph.auth.principal import Principal
from areagraph.connectors.base import IndicatorValue, SourceEvent
from areagraph.connectors.dispatch import Dispatch
from areagraph.connectors.health import SourceHealth
from areagraph.connectors.local.catalogue import indicators
from areagraph.connectors.resilient import Circuit, ResilientSource
from areagraph.core.errors import AppError, BadUserInput
from areagraph.core.periods import Period, PeriodError, parse_period
from areagraph.resolvers.context import Info
from areagraph.resolvers.source_loaders import SourceAnswer, SourceLoaders


@cache
def _catalogue_topics() -> dict[str, str]:
    return {i.code: i.topic for i in indicators()}


@lru_cache(maxsize=256)
def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument="period") from None


@dataclass(frozen=True)
class _ValuesAsk:
    """Valid arguments of an `indicatorValues` field: known codes, their topics, the period."""

    codes: tuple[str, ...]
    topics: tuple[str, ...]
    period: Period


@lru_cache(maxsize=1024)
def _values_ask(codes: tuple[str, ...], period_text: str) -> _ValuesAsk:
    wanted = tuple(sorted({c.strip().upper() for c in codes}))
    topics = _catalogue_topics()
    for code in wanted:
        if code not in topics:
            raise BadUserInput(f"unknown indicator {code!r}", argument="codes")
    return _ValuesAsk(wanted, tuple(sorted({topics[c] for c in wanted})), _period(period_text))


def _kinds(loaders: SourceLoaders, kinds: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(kinds) if kinds is not None else loaders.registry.event_kinds))


def _answered(info: Info, answer: SourceAnswer[Any]) -> list[Any]:
    if answer.failed:
        info.context.source_loaders.report.missing_at(answer.failed, tuple(info.path.as_list()))
    return answer.rows


async def indicator_values(info: Info, area_code: str, codes: Sequence[str],
                           period_text: str) -> list[IndicatorValue]:
    ask = _values_ask(tuple(codes), period_text)
    for topic in ask.topics:
        require_figures(info.context.principal, area_code, topic)
    answer = await info.context.source_loaders.values.load(
        (area_code, ask.codes, ask.period.start, ask.period.end))
    return _answered(info, answer)


async def events(info: Info, area_code: str, kinds: Sequence[str] | None,
                 period_text: str) -> list[SourceEvent]:
    period = _period(period_text)
    principal = require_events(info.context.principal, area_code)
    loaders = info.context.source_loaders
    answer = await loaders.events.load(
        (area_code, _kinds(loaders, kinds), period.start, period.end))
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


async def prefetch_area_fields(info: Info, area_codes: Sequence[str],
                               path: Sequence[str] = ()) -> None:
    """Start the source calls the source-backed fields of these areas will make, now.

    Called by a field that lists areas, as soon as it knows them: each area's own field would
    only ask when the executor reaches it, after every area of the list has been built, which
    for 1,000 areas is tens of milliseconds of waiting that the sources could spend answering.
    The keys are the ones those fields will load, so they find their answer already on its
    way; areas the caller may not read are left out (their fields refuse as usual). Arguments
    that are wrong for every area are refused here, once for the list, rather than once per
    area. `path` leads from the listing field to the areas (`edges`, `node` in a connection).
    """
    principal = info.context.principal
    if not area_codes or principal is None:
        return
    fields = _selected_source_fields(info, tuple(path))
    if not fields:
        return
    with Dispatch() as dispatch:
        _start_area_fields(info, principal, fields, area_codes)
    await dispatch.sent()


def _selected_source_fields(info: Info, path: tuple[str, ...]
                            ) -> list[tuple[str, dict[str, Any]]]:
    """The source-backed fields selected below this field, read once per request for each place
    in the document (a `children` field is resolved once per parent, the same each time)."""
    place = (*(p for p in info.path.as_list() if isinstance(p, str)), *path)
    found = info.context.source_loaders.selections.get(place)
    if found is None:
        below = [s for field in info.selected_fields if isinstance(field, SelectedField)
                 for s in field.selections]
        found = info.context.source_loaders.selections[place] = list(_area_fields(below, path))
    return found


def _start_area_fields(info: Info, principal: Principal,
                       fields: Iterable[tuple[str, dict[str, Any]]],
                       area_codes: Sequence[str]) -> None:
    loaders = info.context.source_loaders
    for name, arguments in fields:
        if name == "indicatorValues":
            ask = _values_ask(_strings(arguments.get("codes")), str(arguments.get("period")))
            keys = [(code, ask.codes, ask.period.start, ask.period.end) for code in area_codes
                    if all(can_read_figures(principal, code, t) for t in ask.topics)]
            _start(loaders.values.load_many(keys))
        elif name == "events":
            period = _period(str(arguments.get("period")))
            kinds = arguments.get("kinds")
            wanted = _kinds(loaders, None if kinds is None else _event_kinds(loaders, kinds))
            keys = [(code, wanted, period.start, period.end) for code in area_codes
                    if _may_read_events(info, code)]
            _start(loaders.events.load_many(keys))


def _start(pending: Any) -> None:
    # Nobody may await a prefetch whose areas' fields are never reached (an error above them);
    # its outcome is read here so that it is not reported as never retrieved.
    pending.add_done_callback(lambda done: done.cancelled() or done.exception())


def _may_read_events(info: Info, area_code: str) -> bool:
    try:
        require_events(info.context.principal, area_code)
    except AppError:
        return False
    return True


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # GraphQL reads a single value given for a list as a list of one
        return (value,)
    return tuple(str(v) for v in value or ())


def _event_kinds(loaders: SourceLoaders, value: Any) -> list[str]:
    """Event kinds as the resolver gets them, from enum names (literals) or members (variables)."""
    known = {kind.upper(): kind for kind in loaders.registry.event_kinds}
    items = [value] if isinstance(value, str) else list(value)
    kinds = [str(getattr(item, "value", item)) for item in items]
    return [known.get(kind.upper(), kind.lower()) for kind in kinds]


def _area_fields(selections: Iterable[Selection], path: tuple[str, ...]
                 ) -> Iterable[tuple[str, dict[str, Any]]]:
    """The source-backed fields (name, arguments) selected on the areas at `path` below these
    selections, through fragments, leaving out what `@skip`/`@include` leave out."""
    for selection in selections:
        if not _included(selection.directives):
            continue
        if not isinstance(selection, SelectedField):  # a fragment: its fields are level here
            yield from _area_fields(selection.selections, path)
        elif not path:
            if selection.name in ("indicatorValues", "events"):
                yield selection.name, selection.arguments
        elif selection.name == path[0]:
            yield from _area_fields(selection.selections, path[1:])


def _included(directives: dict[str, dict[str, Any]]) -> bool:
    return not (directives.get("skip", {}).get("if") is True
                or directives.get("include", {}).get("if") is False)
