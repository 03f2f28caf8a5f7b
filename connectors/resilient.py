"""A connector behind the gateway's defences: timeout, retry, circuit breaker, cache.

Each fetch is cached per area, so one area's answer is reused by any later request that asks
about it. When the source fails, areas with an older answer get it back marked `stale`; the
others get the error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState
from pydantic import TypeAdapter
from redis.exceptions import RedisError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from areagraph.connectors.base import (
    Connector,
    EventRequest,
    Fetched,
    IndicatorValue,
    Provides,
    Row,
    SourceEvent,
    Unmapped,
    ValueRequest,
)
from areagraph.connectors.cache import Cached, SourceCache
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.dispatch import SourceCall
from areagraph.connectors.health import SourceHealth
from areagraph.core.clock import utcnow
from areagraph.core.errors import AppError, SourceBadResponse, SourceUnavailable

log = logging.getLogger("areagraph.sources")
_SHARED_WRITE_DELAY = 0.05  # seconds

Req = TypeVar("Req", ValueRequest, EventRequest)
Circuit = Literal["closed", "open", "half_open"]
_VALUES = TypeAdapter(list[IndicatorValue])
_EVENTS = TypeAdapter(list[SourceEvent])


@dataclass
class Outcome(Generic[Row]):
    """Rows by area; `error` is set when some areas got no answer, fresh or stale."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    error: AppError | None = None


class ResilientSource:
    """One configured source system, as the resolvers use it."""

    def __init__(self, connector: Connector, config: SourceConfig, cache: SourceCache,
                 breakers: AsyncCircuitBreakerFactory) -> None:
        self.connector = connector
        self.config = config
        self.health = SourceHealth()
        self._cache = cache
        self._breakers = breakers
        self._writes: set[asyncio.Task[None]] = set()

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def agency(self) -> str:
        return self.connector.agency

    @property
    def provides(self) -> Provides:
        return self.connector.provides

    async def values(self, request: ValueRequest) -> Outcome[IndicatorValue]:
        key = f"{','.join(sorted(request.indicator_codes))}|{request.start}|{request.end}"
        return await self._answer("values", key, request, self.connector.fetch_values, _VALUES)

    async def events(self, request: EventRequest) -> Outcome[SourceEvent]:
        key = f"{','.join(sorted(request.kinds))}|{request.start}|{request.end}"
        return await self._answer("events", key, request, self.connector.fetch_events, _EVENTS)

    async def fresh_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        """The source's answer now, past the answer cache but behind the same timeout, retries
        and circuit (a sync wants what the source holds, not what was kept of it)."""
        return await self._call(self.connector.fetch_values, request)

    async def _answer(
        self, operation: str, request_key: str, request: Req,
        fetch: Callable[[Req], Awaitable[Fetched[Row]]], adapter: TypeAdapter[list[Row]],
    ) -> Outcome[Row]:
        with SourceCall():
            return await self._answer_areas(operation, request_key, request, fetch, adapter)

    async def _answer_areas(
        self, operation: str, request_key: str, request: Req,
        fetch: Callable[[Req], Awaitable[Fetched[Row]]], adapter: TypeAdapter[list[Row]],
    ) -> Outcome[Row]:
        areas = list(dict.fromkeys(request.area_codes))
        keys = {area: f"{self.name}|{operation}|{request_key}|{area}" for area in areas}
        cached = await self._cached(list(keys.values()))
        now = utcnow()
        outcome: Outcome[Row] = Outcome()
        missing: list[str] = []
        for area in areas:
            hit = cached.get(keys[area])
            if hit is not None and hit.age_seconds(now) < self.config.cache_ttl:
                outcome.rows[area] = adapter.validate_python(hit.rows)
            else:
                missing.append(area)
        if not missing:
            return outcome
        try:
            fetched = await self._call(fetch, request.for_areas(missing))
        except AppError as error:
            for area in missing:
                hit = cached.get(keys[area])
                if hit is not None:
                    outcome.rows[area] = [row.model_copy(update={"stale": True})
                                          for row in adapter.validate_python(hit.rows)]
            if any(area not in outcome.rows for area in missing):
                outcome.error = error
            return outcome
        outcome.unmapped = fetched.unmapped
        for area in missing:
            outcome.rows[area] = fetched.rows.get(area, [])
        if self.config.cache_ttl > 0:
            self._remember_later(now, {keys[area]: outcome.rows[area] for area in missing})
        return outcome

    async def _call(
        self, fetch: Callable[[Req], Awaitable[Fetched[Row]]], request: Req,
    ) -> Fetched[Row]:
        started = time.perf_counter()
        try:
            breaker = await self._breakers.get_breaker(
                self.name, self.config.circuit_threshold, self.config.circuit_reset)
            async with breaker:
                fetched = await self._with_retries(fetch, request)
        except OpenedState:
            raise SourceUnavailable(f"{self.name} is not being called: its circuit is open",
                                    source=self.name, reason="circuit_open") from None
        except AppError as error:
            self.health.failed(_ms_since(started), error.message)
            raise
        self.health.succeeded(_ms_since(started), fetched.unmapped)
        if fetched.unmapped:
            log.warning("%s: %d rows not mapped to today's areas, e.g. %s (%s)", self.name,
                        len(fetched.unmapped), fetched.unmapped[0].key, fetched.unmapped[0].reason)
        return fetched

    async def _with_retries(
        self, fetch: Callable[[Req], Awaitable[Fetched[Row]]], request: Req,
    ) -> Fetched[Row]:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.config.retries + 1),
            wait=wait_random_exponential(multiplier=0.02, max=0.25),
            retry=retry_if_exception_type(SourceUnavailable), reraise=True,
        )
        try:
            async with asyncio.timeout(self.config.timeout):
                async for attempt in retrying:
                    with attempt:
                        return await fetch(request)
        except TimeoutError:
            raise SourceUnavailable(f"{self.name} did not answer in time", source=self.name,
                                    reason="timeout") from None
        except AppError:
            raise
        except Exception:
            # A connector that cannot read what the source sent is a bad response, not a crash.
            log.exception("%s: unreadable answer", self.name)
            raise SourceBadResponse(f"{self.name} answered something the gateway could not "
                                    "read", source=self.name, reason="unreadable") from None
        raise AssertionError("retrying always returns or raises")

    async def circuit(self) -> Circuit:
        breaker = await self._breakers.get_breaker(
            self.name, self.config.circuit_threshold, self.config.circuit_reset)
        state = breaker.context.state
        if state == "opened":
            opened_at = breaker.context.opened_at or 0.0
            return "half_open" if time.time() > opened_at + self.config.circuit_reset else "open"
        return "half_open" if state == "half-opened" else "closed"

    async def check(self) -> float:
        """Milliseconds the source took to answer a health probe; raises when it did not."""
        started = time.perf_counter()
        async with asyncio.timeout(self.config.timeout):
            await self.connector.check()
        return _ms_since(started)

    async def _cached(self, keys: list[str]) -> dict[str, Cached]:
        if self.config.cache_ttl <= 0:
            return {}
        try:
            return await self._cache.get_many(keys)
        except (RedisError, OSError) as exc:
            log.warning("cache unavailable, asking %s directly: %s", self.name, exc)
            return {}

    def _remember_later(self, fetched_at: datetime, rows: dict[str, list[Row]]) -> None:
        """Keep the answer without the caller waiting for it to be written."""
        task = asyncio.create_task(self._remember(fetched_at, rows))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def kept(self) -> None:
        """Wait for the answers still being written to the cache (before closing)."""
        if self._writes:
            await asyncio.gather(*self._writes)

    async def _remember(self, fetched_at: datetime, rows: dict[str, list[Row]]) -> None:
        if self._cache.shared:
            # A shared cache costs a round trip and the encoding of every row: done once the
            # request that fetched them has had its answer (the rows are already in hand).
            await asyncio.sleep(_SHARED_WRITE_DELAY)
        entries = {key: Cached(fetched_at, [r.model_dump(mode="json") for r in found])
                   for key, found in rows.items()}
        try:
            await self._cache.set_many(entries, self.config.cache_ttl + self.config.stale_ttl)
        except (RedisError, OSError) as exc:
            log.warning("cache unavailable, %s answer not kept: %s", self.name, exc)


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
