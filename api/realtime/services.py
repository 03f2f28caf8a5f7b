"""The real-time services of one process: broker, outbox relay, webhook replay guard, polling.

Built in the app's lifespan; with a Redis URL they work across replicas, without one in-process.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from areagraph.api.clients import open_database
from areagraph.api.realtime.broker import Broker, build_broker
from areagraph.api.realtime.outbox_relay import OutboxRelay
from areagraph.api.realtime.shared_streams import SharedStreams
from areagraph.api.sources.polling import PollingSync, build_polling, interval_lock
from areagraph.api.sources.replay_guard import MemoryReplayGuard, RedisReplayGuard, ReplayGuard
from areagraph.api.sources.sync import build_source_syncs
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.core.settings import Settings
from areagraph.domain.alerts.evaluation import sweep_overdue
from areagraph.domain.complaints.states import OPEN


def _fewer_collections() -> None:
    """Thousands of long-lived sockets hold many objects, and every full collection walks them
    all: collecting the young generation less often keeps a burst of events from stalling."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, 50_000), max(middle, 20), max(old, 100))


class Realtime:
    def __init__(self, broker: Broker, relay: OutboxRelay, replays: ReplayGuard,
                 shared: SharedStreams, polling: PollingSync, sweeps: PollingSync,
                 database: Database, syncs: list[PollingSync] | None = None) -> None:
        self.broker = broker
        self.relay = relay
        self.replays = replays
        self.shared = shared
        self.polling = polling
        self.sweeps = sweeps
        self._database = database
        self.syncs = syncs or []

    @classmethod
    async def start(cls, settings: Settings, database: Database, sources: SourceRegistry,
                    redis: Redis | None) -> Realtime:
        """`database` is the requests' store; the background work gets its own connections,
        so it never waits for (nor holds) a request's connection. `redis` is the process's
        client (None: in-process), closed by its owner."""
        _fewer_collections()
        own = open_database(settings)
        broker = build_broker(redis, settings.redis_prefix, own)
        await broker.start()
        relay = OutboxRelay(own, broker, settings.outbox_relay_interval, woken_by=database)
        relay.start()
        replays: ReplayGuard = (
            RedisReplayGuard(redis, f"{settings.redis_prefix}webhook:seen:") if redis is not None
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
                   sweeps, own, syncs)

    async def aclose(self, flush_within: float = 0.0) -> None:
        """Stop; with `flush_within`, first publish what is left in the outbox (that long)."""
        closings: list[Callable[[], Awaitable[None]]] = [
            *(s.aclose for s in self.syncs), self.polling.aclose, self.sweeps.aclose,
            self.shared.aclose, functools.partial(self.relay.aclose, flush_within),
            self.broker.aclose, self.replays.aclose]
        for closing in closings:
            with contextlib.suppress(Exception):
                await closing()
        await self._database.dispose()
