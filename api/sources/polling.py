"""Polling syncs for source systems without webhooks: each runs once per interval, across all
replicas.

Every replica ticks, but a poll runs only where its lock was taken for the interval (Redis
``SET NX PX``: the lock expires by itself, so a replica that dies mid-poll blocks nobody for
long). A poll asks the source for its recent events by province and publishes, through the
outbox, those it has not seen before; the first poll of a source only records what exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from areagraph.connectors.base import EventRequest, SourceEvent
from areagraph.connectors.local import areas
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.connectors.resilient import ResilientSource
from areagraph.core.clock import utcnow
from areagraph.core.errors import AppError
from areagraph.domain.sources.events import record_source_events

log = logging.getLogger(__name__)

Poll = Callable[[], Awaitable[int]]
_SEEN_FOR = timedelta(days=60)


class IntervalLock(Protocol):
    async def take(self, name: str, seconds: float) -> bool:
        """True for exactly one caller per `name` within `seconds`."""
        ...


class MemoryIntervalLock:
    """One process: the lock is a deadline per name."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    async def take(self, name: str, seconds: float) -> bool:
        now = time.monotonic()
        if self._until.get(name, 0.0) > now:
            return False
        self._until[name] = now + seconds
        return True


class RedisIntervalLock:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._owner = secrets.token_hex(8)

    async def take(self, name: str, seconds: float) -> bool:
        taken = await self._redis.set(f"{self._prefix}{name}", self._owner, nx=True,
                                      px=max(1, int(seconds * 1000)))
        return bool(taken)


class SeenEvents(Protocol):
    async def remember(self, source: str, fingerprints: Sequence[str]) -> tuple[bool, list[bool]]:
        """Whether anything was remembered for `source` before, and which fingerprints are
        new."""
        ...


class MemorySeenEvents:
    def __init__(self) -> None:
        self._seen: dict[str, set[str]] = {}

    async def remember(self, source: str, fingerprints: Sequence[str]) -> tuple[bool, list[bool]]:
        seen = self._seen.get(source)
        known = seen is not None
        seen = self._seen.setdefault(source, set())
        new = [f not in seen for f in fingerprints]
        seen.update(fingerprints)
        return known, new


class RedisSeenEvents:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def remember(self, source: str, fingerprints: Sequence[str]) -> tuple[bool, list[bool]]:
        key = f"{self._prefix}{source}"
        known = bool(await self._redis.exists(key))
        async with self._redis.pipeline(transaction=False) as pipe:
            for fingerprint in fingerprints:
                pipe.sadd(key, fingerprint)
            pipe.sadd(key, "")  # so a source with no events yet is remembered as polled
            pipe.expire(key, _SEEN_FOR)
            added = await pipe.execute()
        return known, [bool(n) for n in added[:len(fingerprints)]]


class PollingSync:
    """Runs each poll at most once per `interval` across every replica sharing `lock`."""

    def __init__(self, polls: Mapping[str, Poll], lock: IntervalLock, interval: float) -> None:
        self._polls = dict(polls)
        self._lock = lock
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def run_due(self) -> list[str]:
        """The polls this replica ran now."""
        ran: list[str] = []
        for name, poll in self._polls.items():
            try:
                if not await self._lock.take(name, self._interval):
                    continue
                published = await poll()
            except (AppError, RedisError, OSError) as error:
                log.warning("polling %s failed: %s", name, error)
                continue
            ran.append(name)
            if published:
                log.info("polling %s published %d events", name, published)
        return ran

    def start(self) -> None:
        if self._polls:
            self._task = asyncio.create_task(self._run(), name="areagraph-source-polling")

    async def _run(self) -> None:
        while True:
            await self.run_due()
            await asyncio.sleep(min(self._interval / 4, 15.0))

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def source_event_polls(registry: SourceRegistry, database: Database, seen: SeenEvents,
                       skip: Sequence[str]) -> dict[str, Poll]:
    """A poll for each source that reports events and does not call our webhook."""
    polls: dict[str, Poll] = {}
    for source in registry:
        if source.provides.event_kinds and source.name not in skip:
            polls[f"events:{source.name}"] = _poll_for(source, database, seen)
    return polls


def _poll_for(source: ResilientSource, database: Database, seen: SeenEvents) -> Poll:
    async def poll() -> int:
        return await poll_source_events(source, database, seen)

    return poll


async def poll_source_events(source: ResilientSource, database: Database, seen: SeenEvents,
                             days: int = 30) -> int:
    """Publish the source's events not seen before; how many were published."""
    today = utcnow().date()
    request = EventRequest(area_codes=tuple(await areas.codes_at(database, "province")),
                           kinds=tuple(sorted(source.provides.event_kinds)),
                           start=today - timedelta(days=days), end=today)
    # Straight to the connector: a poll wants the source's answer now, not a cached one.
    fetched = await source.connector.fetch_events(request)
    events = [e for rows in fetched.rows.values() for e in rows]
    known, new = await seen.remember(source.name, [_fingerprint(e) for e in events])
    fresh = [e for e, is_new in zip(events, new, strict=True) if is_new] if known else []
    return len(await record_source_events(database, source.name, fresh))


def _fingerprint(event: SourceEvent) -> str:
    return "|".join(str(v) for v in (event.area_code, event.kind, event.reference, event.status,
                                     event.ended_on, event.households_affected))


def interval_lock(redis: Redis | None, prefix: str) -> IntervalLock:
    """Shared by the replicas when they share Redis; this process's own otherwise."""
    if redis is not None:
        return RedisIntervalLock(redis, f"{prefix}poll:lock:")
    return MemoryIntervalLock()


def build_polling(registry: SourceRegistry, database: Database, redis: Redis | None,
                  prefix: str, interval: float, skip: Sequence[str]) -> PollingSync:
    seen: SeenEvents = (RedisSeenEvents(redis, f"{prefix}poll:seen:") if redis is not None
                        else MemorySeenEvents())
    return PollingSync(source_event_polls(registry, database, seen, skip),
                       interval_lock(redis, prefix), interval)
