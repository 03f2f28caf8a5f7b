"""The real-time services of one process: broker, outbox relay, webhook replay guard, polling.

Built in the app's lifespan; with a Redis URL they work across replicas, without one in-process.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from redis.asyncio import Redis

from areagraph.api.realtime.broker import Broker, build_broker
from areagraph.api.realtime.outbox_relay import OutboxRelay
from areagraph.api.realtime.shared_streams import SharedStreams
from areagraph.api.sources.polling import PollingSync, build_polling, interval_lock
from areagraph.api.sources.sync import build_source_syncs
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.core.settings import Settings
from areagraph.domain.alerts.evaluation import sweep_overdue
from areagraph.domain.complaints.states import OPEN


class ReplayGuard(Protocol):
    async def first_time(self, key: str, ttl: int) -> bool:
        """True the first time `key` is seen within `ttl` seconds."""
        ...

    async def aclose(self) -> None: ...


class MemoryReplayGuard:
    def __init__(self) -> None:
        self._seen: dict[str, float] = {}

    async def first_time(self, key: str, ttl: int) -> bool:
        now = time.monotonic()
        if len(self._seen) > 10_000:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
        if self._seen.get(key, 0.0) > now:
            return False
        self._seen[key] = now + ttl
        return True

    async def aclose(self) -> None:
        self._seen.clear()


class RedisReplayGuard:
    """Shared by all replicas, so a replay sent to another replica is refused too."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def first_time(self, key: str, ttl: int) -> bool:
        return bool(await self._redis.set(self._prefix + key, b"1", nx=True, ex=ttl))

    async def aclose(self) -> None:
        return None


def _fewer_collections() -> None:
    """Thousands of long-lived sockets hold many objects, and every full collection walks them
    all: collecting the young generation less often keeps a burst of events from stalling."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, 50_000), max(middle, 20), max(old, 100))


class Realtime:
    def __init__(self, broker: Broker, relay: OutboxRelay, replays: ReplayGuard,
                 shared: SharedStreams, polling: PollingSync, sweeps: PollingSync,
                 database: Database, redis: Redis | None,
                 syncs: list[PollingSync] | None = None) -> None:
        self.broker = broker
        self.relay = relay
        self.replays = replays
        self.shared = shared
        self.polling = polling
        self.sweeps = sweeps
        self._database = database
        self._redis = redis
        self.syncs = syncs or []

    @classmethod
    async def start(cls, settings: Settings, database: Database,
                    sources: SourceRegistry) -> Realtime:
        """`database` is the requests' store; the background work gets its own connections,
        so it never waits for (nor holds) a request's connection."""
        _fewer_collections()
        own = Database(settings)
        redis = (Redis.from_url(settings.redis_url, socket_connect_timeout=2.0,
                                socket_timeout=2.0) if settings.redis_url else None)
        broker = build_broker(settings.redis_url, settings.redis_prefix, own)
        await broker.start()
        relay = OutboxRelay(own, broker, settings.outbox_relay_interval, woken_by=database)
        relay.start()
        replays: ReplayGuard = (
            RedisReplayGuard(redis, f"{settings.redis_prefix}webhook:seen:") if redis
            else MemoryReplayGuard())
        polls = sources if settings.source_polling else SourceRegistry.empty()
        polling = build_polling(polls, own, redis, settings.redis_prefix,
                                settings.source_poll_interval,
                                skip=list(settings.webhook_secrets))
        polling.start()
        sweeps = PollingSync({"alerts:overdue": lambda: sweep_overdue(own, OPEN)},
                             interval_lock(redis, settings.redis_prefix),
                             settings.alert_sweep_interval)
        sweeps.start()
        syncs = (build_source_syncs(sources, own, redis, settings.redis_prefix)
                 if settings.source_sync else [])
        for sync in syncs:
            sync.start()
        return cls(broker, relay, replays, SharedStreams(settings.ws_queue_size), polling,
                   sweeps, own, redis, syncs)

    async def aclose(self, flush_within: float = 0.0) -> None:
        """Stop; with `flush_within`, first publish what is left in the outbox (that long)."""
        closings: list[Callable[[], Awaitable[None]]] = [
            *(s.aclose for s in self.syncs), self.polling.aclose, self.sweeps.aclose,
            self.shared.aclose, functools.partial(self.relay.aclose, flush_within),
            self.broker.aclose, self.replays.aclose]
        for closing in closings:
            with contextlib.suppress(Exception):
                await closing()
        if self._redis is not None:
            await self._redis.aclose()
        await self._database.dispose()
