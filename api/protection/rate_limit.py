"""Token-bucket rate limits per principal (or per IP for anonymous callers): in Redis so every
replica shares one bucket, in-process when there is no Redis."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import LRUCache
from redis.asyncio import Redis
from redis.exceptions import RedisError

from areagraph.auth.principal import Principal
from areagraph.core.errors import AppError
from areagraph.core.settings import Settings

log = logging.getLogger("areagraph.rate_limit")


class RateLimited(AppError):
    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, retry_after: float, limit: int) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(f"too many requests: retry after {seconds} s", retryAfter=seconds,
                         limit=limit)
        self.retry_after = seconds


@dataclass(frozen=True)
class Bucket:
    capacity: int
    per_second: float


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until enough tokens, when refused


class BucketStore(Protocol):
    async def take(self, key: str, bucket: Bucket, cost: float = 1.0) -> Decision: ...


class MemoryBuckets:
    """This process's buckets; the least recently used are forgotten (and start full again)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 maxsize: int = 100_000) -> None:
        self._clock = clock
        self._state: LRUCache[str, tuple[float, float]] = LRUCache(maxsize=maxsize)

    async def take(self, key: str, bucket: Bucket, cost: float = 1.0) -> Decision:
        now = self._clock()
        tokens, stamp = self._state.get(key, (float(bucket.capacity), now))
        tokens = min(bucket.capacity, tokens + max(0.0, now - stamp) * bucket.per_second)
        allowed = tokens >= cost
        if allowed:
            tokens -= cost
        self._state[key] = (tokens, now)
        return Decision(allowed, 0.0 if allowed else (cost - tokens) / bucket.per_second)


# Refill and take in one atomic step, on Redis's clock so replicas agree on time.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or capacity
local stamp = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - stamp) * rate)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(retry)}
"""


class RedisBuckets:
    """Buckets shared by all replicas. While Redis is unreachable each replica falls back to its
    own buckets, each with the whole limit (so N replicas allow up to N times it): requests
    (writes above all) keep working and no caller goes unlimited."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._prefix = f"{prefix}rate:"
        self._take = redis.register_script(_TAKE)
        self._fallback = MemoryBuckets()
        self._unreachable = False  # one warning per outage, not one per request

    async def take(self, key: str, bucket: Bucket, cost: float = 1.0) -> Decision:
        try:
            allowed, retry = await self._take(keys=[self._prefix + key],
                                              args=[bucket.capacity, bucket.per_second, cost])
        except (RedisError, OSError) as error:
            if not self._unreachable:
                self._unreachable = True
                log.warning("rate limit store unreachable, using this replica's buckets "
                            "until it answers again: %s", type(error).__name__)
            return await self._fallback.take(key, bucket, cost)
        if self._unreachable:
            self._unreachable = False
            log.info("rate limit store reachable again")
        return Decision(bool(int(allowed)), float(retry))


class RateLimiter:
    """Charges each request to its caller's bucket; raises `RateLimited` when it is empty."""

    def __init__(self, store: BucketStore, *, authenticated: Bucket, anonymous: Bucket) -> None:
        self.store = store
        self.authenticated = authenticated
        self.anonymous = anonymous

    @classmethod
    def from_settings(cls, settings: Settings, store: BucketStore) -> RateLimiter:
        return cls(store,
                   authenticated=Bucket(settings.rate_limit_burst, settings.rate_limit_per_second),
                   anonymous=Bucket(settings.rate_limit_anonymous_burst,
                                    settings.rate_limit_anonymous_per_second))

    async def charge(self, principal: Principal | None, client_ip: str | None,
                     cost: float = 1.0) -> None:
        if principal is not None:
            key, bucket = f"sub:{principal.subject}", self.authenticated
        else:
            key, bucket = f"ip:{client_ip or 'unknown'}", self.anonymous
        decision = await self.store.take(key, bucket, cost)
        if not decision.allowed:
            raise RateLimited(decision.retry_after, bucket.capacity)
