"""A webhook's change drops the source's cached answers about the areas it touched."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from areagraph.connectors.cache import Cached, MemoryCache, RedisCache, SourceCache
from tests.api.realtime.conftest import RedisServer

ENTRIES = {
    "ddpm|events|flood|2026-01-01|2026-12-31|TH": "country",
    "ddpm|events|flood|2026-01-01|2026-12-31|34": "province",
    "ddpm|events|flood|2026-01-01|2026-12-31|340101": "changed",
    "ddpm|events|flood|2026-01-01|2026-12-31|3402": "sibling district",
    "ddpm|events|flood|2026-01-01|2026-12-31|10": "other province",
    "cdd|values|x|2026-01-01|2026-12-31|34": "other source",
}


async def _check(cache: SourceCache) -> None:
    when = datetime(2026, 9, 20, tzinfo=UTC)
    await cache.set_many({k: Cached(when, [{"note": v}]) for k, v in ENTRIES.items()}, 60)
    dropped = await cache.invalidate("ddpm", ["340101"])
    left = await cache.get_many(list(ENTRIES))
    assert dropped == 3
    assert sorted(v.rows[0]["note"] for v in left.values()) == [
        "other province", "other source", "sibling district"]


async def test_memory_cache_invalidation() -> None:
    await _check(MemoryCache())


async def test_redis_cache_invalidation(redis_server: RedisServer) -> None:
    redis = Redis.from_url(redis_server.url)
    try:
        await _check(RedisCache(redis, prefix="test:invalidate:"))
    finally:
        await redis.aclose()
