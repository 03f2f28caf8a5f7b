"""Builds the gateway's long-lived protections once per app: persisted queries, rate limits."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis
from strawberry.schema.config import StrawberryConfig

from areagraph.api.observability.metrics import Metrics
from areagraph.api.protection.limits import (
    ExtensionFactory,
    QueryLimits,
    document_vetter,
    limit_extensions,
)
from areagraph.api.protection.persisted_queries import (
    MemoryQueryStore,
    PersistedQueries,
    QueryStore,
    RedisQueryStore,
    load_manifest,
)
from areagraph.api.protection.rate_limit import (
    BucketStore,
    MemoryBuckets,
    RateLimiter,
    RedisBuckets,
)
from areagraph.api.protection.suggestions import HiddenSuggestions
from areagraph.core.settings import Settings


@dataclass
class Protection:
    persisted_queries: PersistedQueries
    rate_limiter: RateLimiter | None

    @classmethod
    def from_settings(cls, settings: Settings, metrics: Metrics | None = None,
                      redis: Redis | None = None) -> Protection:
        """With `redis` (the process's client), stores are shared by every replica."""
        store: QueryStore = (MemoryQueryStore(settings.persisted_queries_max_bytes)
                             if redis is None else RedisQueryStore(redis, settings.redis_prefix))
        allowlist = load_manifest(settings.allowlist_file) if settings.allowlist_file else None
        queries = PersistedQueries(store, apq=settings.persisted_queries, allowlist=allowlist,
                                   metrics=metrics,
                                   vet=document_vetter(QueryLimits.from_settings(settings)))
        limiter = None
        if settings.rate_limit_enabled:
            buckets: BucketStore = (MemoryBuckets() if redis is None
                                    else RedisBuckets(redis, settings.redis_prefix))
            limiter = RateLimiter.from_settings(settings, buckets)
        return cls(queries, limiter)


def schema_extensions(settings: Settings) -> list[ExtensionFactory]:
    everyone = settings.environment == "production"
    return [*limit_extensions(QueryLimits.from_settings(settings)),
            lambda: HiddenSuggestions(everyone)]


def schema_config(settings: Settings) -> StrawberryConfig:
    batching = ({"max_operations": settings.max_batch_size} if settings.max_batch_size
                else None)
    return StrawberryConfig(batching_config=batching)  # type: ignore[arg-type]
