"""The long-lived clients, built from the settings once per process (app lifespan, CLI) and
passed down as plain values and objects: the store, the one Redis client, the sources."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from areagraph.auth.authenticate import AuthConfig
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import ConnectorDeps, SourceRegistry
from areagraph.core.settings import Settings


def open_database(settings: Settings) -> Database:
    """An engine of its own over the configured store (the caller disposes of it)."""
    return Database(settings.async_database_url, echo=settings.sql_echo)


def redis_client(settings: Settings) -> Redis | None:
    """The process's one Redis client (None without a Redis URL: everything in-process).

    A command on a dropped connection is sent once more on a new one at once (a connection
    left over from before a Redis restart), never after a wait: the outbox relay must not hold
    its rows locked while Redis is away, and the rate limiter falls back to local buckets at
    once. The pool hands each user its connection; the event listener keeps one for its
    subscription and treats a reconnect as a loss (see broker.py)."""
    if not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, retry=Retry(NoBackoff(), 1),
                          socket_connect_timeout=2.0, socket_timeout=5.0,
                          health_check_interval=5)


def source_registry(settings: Settings, database: Database | None,
                    redis: Redis | None) -> SourceRegistry:
    return SourceRegistry.from_file(settings.sources_file, ConnectorDeps(database), redis,
                                    settings.source_cache_prefix)


@asynccontextmanager
async def store_and_sources(settings: Settings) -> AsyncIterator[tuple[Database, SourceRegistry]]:
    """The store and the configured sources for one command, closed afterwards."""
    database = open_database(settings)
    redis = redis_client(settings)
    registry = source_registry(settings, database, redis)
    try:
        yield database, registry
    finally:
        await registry.aclose()
        if redis is not None:
            await redis.aclose()
        await database.dispose()


def auth_config(settings: Settings) -> AuthConfig:
    return AuthConfig(
        jwt_algorithms=tuple(settings.jwt_algorithms), oidc_audience=settings.oidc_audience,
        oidc_issuer=settings.oidc_issuer, oidc_jwks_url=settings.oidc_jwks_url,
        jwks_min_refresh_seconds=settings.jwks_min_refresh_seconds,
        jwt_leeway_seconds=settings.jwt_leeway_seconds, dev_tokens=settings.dev_tokens,
        dev_key_path=settings.dev_key_path, production=settings.environment == "production")
