"""Refuses a webhook delivery seen before (a replay) within its time window."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


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
