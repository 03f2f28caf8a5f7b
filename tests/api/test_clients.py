"""The clients the app builds once from the settings: one Redis client shared by every user,
none without a Redis URL (everything stays in-process)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from areagraph.api.clients import (
    open_database,
    redis_client,
    source_registry,
    store_and_sources,
)
from areagraph.connectors.cache import Cached
from areagraph.core.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'store.db'}",
                    **values)  # type: ignore[arg-type]


async def test_without_a_redis_url_there_is_no_client(tmp_path: Path) -> None:
    assert redis_client(_settings(tmp_path, redis_url=None)) is None
    async with store_and_sources(_settings(tmp_path, redis_url=None)) as (database, registry):
        assert database.is_sqlite
        assert len(registry) > 0  # the packaged source list


async def test_the_source_cache_uses_the_process_client_and_leaves_it_open(
        tmp_path: Path) -> None:
    prefix = f"test:clients:{uuid.uuid4().hex}:"
    settings = _settings(tmp_path, redis_url=REDIS_URL, source_cache_prefix=prefix)
    redis = redis_client(settings)
    assert isinstance(redis, Redis)
    database = open_database(settings)
    registry = source_registry(settings, database, redis)
    try:
        cache = registry._cache
        assert cache.shared
        cached = Cached(datetime(2026, 1, 1, tzinfo=UTC), [{"value": 1}])
        await cache.set_many({"dopa|x": cached}, keep_for=30)
        assert await redis.exists(f"{prefix}dopa|x") == 1
        await registry.aclose()
        assert await redis.ping()  # closing the registry does not close the shared client
        await redis.delete(f"{prefix}dopa|x")
    finally:
        await redis.aclose()
        await database.dispose()
