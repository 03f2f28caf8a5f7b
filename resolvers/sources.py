"""What the source-backed fields do: fan out to the systems that hold the data, merge by area.

The area codes sent to sources are those of the areas the query has already resolved, so
whatever limits the areas a caller may see limits the source calls too.
"""

from __future__ import annotations

import asyncio
from functools import cache, lru_cache
from itertools import chain

from api.errors import BadUserInput, SourceUnavailable
from auth.policy import require_events, require_figures
from connectors.base import IndicatorValue, SourceEvent
from connectors.local.catalogue import indicators
from connectors.periods import Period, PeriodError, parse_period
from connectors.resilient import ResilientSource
from resolvers.context import Info
from resolvers.source_loaders import SourceLoaders


@cache
def _catalogue_sources() -> dict[str, str]:
    return {i.code: i.source for i in indicators()}


@cache
def _catalogue_topics() -> dict[str, str]:
    return {i.code: i.topic for i in indicators()}


@lru_cache(maxsize=256)
def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument="period") from None


def _loaders(info: Info) -> SourceLoaders:
    return info.context.source_loaders


def _indicator_plan(loaders: SourceLoaders, codes: list[str]) -> dict[str, tuple[str, ...]]:
    """Which source answers which of the codes, worked out once per request and code list."""
    key = tuple(codes)
    if key not in loaders.plans:
        loaders.plans[key] = _plan_codes(loaders, codes)
    return loaders.plans[key]


def _plan_codes(loaders: SourceLoaders, codes: list[str]) -> dict[str, tuple[str, ...]]:
    """Which source answers which of the codes; unconfigured sources are reported."""
    plan: dict[str, list[str]] = {}
    for code in dict.fromkeys(c.strip().upper() for c in codes):
        owner = _catalogue_sources().get(code)
        if owner is None:
            raise BadUserInput(f"unknown indicator {code!r}", argument="codes")
        providers = loaders.registry.providing_indicator(code)
        if not providers:
            loaders.report.failed(owner, SourceUnavailable(
                f"no source system is configured for {code}", source=owner,
                reason="not_configured"))
        for source in providers:
            plan.setdefault(source.name, []).append(code)
    return {name: tuple(sorted(found)) for name, found in plan.items()}


async def indicator_values(info: Info, area_code: str, codes: list[str],
                           period_text: str) -> list[IndicatorValue]:
    period = _period(period_text)
    for code in codes:
        require_figures(info.context.principal, area_code,
                        _catalogue_topics().get(code.strip().upper()))
    loaders = _loaders(info)
    plan = _indicator_plan(loaders, codes)
    sources = [s for name in plan if (s := loaders.registry.get(name)) is not None]
    found = await asyncio.gather(*(
        loaders.values(s).load((area_code, plan[s.name], period.start, period.end))
        for s in sources))
    return sorted(chain.from_iterable(found),
                  key=lambda v: (v.indicator_code, v.period, v.source))


def _event_sources(loaders: SourceLoaders, kinds: list[str] | None
                   ) -> dict[str, tuple[ResilientSource, tuple[str, ...]]]:
    wanted = sorted(set(kinds) if kinds is not None else loaders.registry.event_kinds)
    plan: dict[str, tuple[ResilientSource, tuple[str, ...]]] = {}
    for kind in wanted:
        for source in loaders.registry.providing_event_kind(kind):
            _, known = plan.get(source.name, (source, ()))
            plan[source.name] = (source, (*known, kind))
    return plan


async def events(info: Info, area_code: str, kinds: list[str] | None,
                 period_text: str) -> list[SourceEvent]:
    period = _period(period_text)
    require_events(info.context.principal, area_code)
    loaders = _loaders(info)
    plan = _event_sources(loaders, kinds)
    found = await asyncio.gather(*(
        loaders.events(source).load((area_code, wanted, period.start, period.end))
        for source, wanted in plan.values()))
    return sorted(chain.from_iterable(found),
                  key=lambda e: (e.started_on, e.source, e.reference))


async def sources(info: Info) -> list[ResilientSource]:
    return list(_loaders(info).registry)
