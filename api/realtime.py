"""The real-time services of one process: broker, outbox relay, webhook replay guard, polling.

Built in the app's lifespan; with a Redis URL they work across replicas, without one in-process.
"""

from __future__ import annotations

import contextlib
import time
from typing import Protocol

from redis.asyncio import Redis

from api.broker import Broker, build_broker
from api.outbox_relay import OutboxRelay
from api.settings import Settings
from connectors.local.database import Database


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

    def __init__(self, url: str, prefix: str) -> None:
        self._redis: Redis = Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=2.0)
        self._prefix = prefix

    async def first_time(self, key: str, ttl: int) -> bool:
        return bool(await self._redis.set(self._prefix + key, b"1", nx=True, ex=ttl))

    async def aclose(self) -> None:
        await self._redis.aclose()


class Realtime:
    def __init__(self, broker: Broker, relay: OutboxRelay, replays: ReplayGuard,
                 database: Database) -> None:
        self.broker = broker
        self.relay = relay
        self.replays = replays
        self._database = database

    @classmethod
    async def start(cls, settings: Settings, database: Database) -> Realtime:
        """`database` is the requests' store; the background work gets its own connections,
        so it never waits for (nor holds) a request's connection."""
        own = Database(settings)
        broker = build_broker(settings.redis_url, settings.redis_prefix, own)
        await broker.start()
        relay = OutboxRelay(own, broker, settings.outbox_relay_interval, woken_by=database)
        relay.start()
        replays: ReplayGuard = (
            RedisReplayGuard(settings.redis_url, f"{settings.redis_prefix}webhook:seen:")
            if settings.redis_url else MemoryReplayGuard())
        return cls(broker, relay, replays, own)

    async def aclose(self) -> None:
        with contextlib.suppress(Exception):
            await self.relay.aclose()
        with contextlib.suppress(Exception):
            await self.broker.aclose()
        with contextlib.suppress(Exception):
            await self.replays.aclose()
        await self._database.dispose()
