"""Answers kept per source and area: Redis when configured, in-process otherwise.

Entries outlive their freshness (`cache_ttl`) by the source's `stale_ttl`, so that when a source
fails the last good answer can still be served, marked stale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
from cachetools import TLRUCache
from redis.asyncio import Redis


@dataclass(frozen=True)
class Cached:
    fetched_at: datetime
    rows: list[dict[str, Any]]

    def age_seconds(self, now: datetime) -> float:
        return (now - self.fetched_at).total_seconds()


class SourceCache(Protocol):
    shared: bool  # seen by every replica (and a round trip away), or in this process only

    async def get_many(self, keys: Sequence[str]) -> dict[str, Cached]: ...

    async def set_many(self, entries: Mapping[str, Cached], keep_for: float) -> None: ...

    async def invalidate(self, source: str, area_codes: Sequence[str]) -> int: ...

    async def aclose(self) -> None: ...


def _touches(key: str, source: str, area_codes: Sequence[str]) -> bool:
    """Is this entry a `source` answer about one of the areas, an ancestor or a descendant?"""
    if not key.startswith(f"{source}|"):
        return False
    area = key.rpartition("|")[2]
    return any(area == "TH" or code.startswith(area) or area.startswith(code)
               for code in area_codes)


class MemoryCache:
    """A bounded in-process cache; each entry expires when its source's stale window ends."""

    shared = False

    def __init__(self, maxsize: int = 200_000) -> None:
        self._entries: TLRUCache[str, tuple[Cached, float]] = TLRUCache(
            maxsize=maxsize, ttu=lambda _key, value, now: now + value[1])

    async def get_many(self, keys: Sequence[str]) -> dict[str, Cached]:
        found: dict[str, Cached] = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None:
                found[key] = entry[0]
        return found

    async def set_many(self, entries: Mapping[str, Cached], keep_for: float) -> None:
        for key, cached in entries.items():
            self._entries[key] = (cached, keep_for)

    async def invalidate(self, source: str, area_codes: Sequence[str]) -> int:
        """Forget a source's answers about these areas (a webhook said they changed)."""
        stale = [k for k in list(self._entries.keys()) if _touches(k, source, area_codes)]
        for key in stale:
            self._entries.pop(key, None)
        return len(stale)

    async def aclose(self) -> None:
        self._entries.clear()


class RedisCache:
    """Shared by every replica of the gateway."""

    shared = True

    def __init__(self, redis: Redis, prefix: str = "areagraph:source:") -> None:
        self._redis = redis  # the process's client: its owner closes it
        self._prefix = prefix

    async def get_many(self, keys: Sequence[str]) -> dict[str, Cached]:
        if not keys:
            return {}
        values = await self._redis.mget([self._prefix + k for k in keys])
        found: dict[str, Cached] = {}
        for key, raw in zip(keys, values, strict=True):
            if raw is not None:
                document = orjson.loads(raw)
                found[key] = Cached(datetime.fromisoformat(document["fetched_at"]),
                                    document["rows"])
        return found

    async def set_many(self, entries: Mapping[str, Cached], keep_for: float) -> None:
        if not entries or keep_for <= 0:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, cached in entries.items():
                document = {"fetched_at": cached.fetched_at.isoformat(), "rows": cached.rows}
                pipe.set(self._prefix + key, json.dumps(document, ensure_ascii=False),
                         px=max(1, int(keep_for * 1000)))
            await pipe.execute()

    async def invalidate(self, source: str, area_codes: Sequence[str]) -> int:
        """Forget a source's answers about these areas, for every replica."""
        stale = [key async for key in self._redis.scan_iter(match=f"{self._prefix}{source}|*",
                                                            count=1000)
                 if _touches(key.decode().removeprefix(self._prefix), source, area_codes)]
        if stale:
            await self._redis.delete(*stale)
        return len(stale)

    async def aclose(self) -> None:
        return None


def build_cache(redis: Redis | None, prefix: str = "areagraph:source:") -> SourceCache:
    return RedisCache(redis, prefix) if redis is not None else MemoryCache()
