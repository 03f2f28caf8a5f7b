"""Persisted queries: Automatic Persisted Queries (Apollo's protocol) and an allow-list mode in
which only the operations of a registered manifest run."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cachetools import LRUCache
from redis.asyncio import Redis

if TYPE_CHECKING:
    from areagraph.api.observability.metrics import Metrics

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED"


class PersistedQueryError(Exception):
    """The request cannot run as sent; `code` tells the client what to do next."""

    def __init__(self, code: str, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = extensions


class QueryStore(Protocol):
    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, query: str) -> None: ...


class MemoryQueryStore:
    """One process's registered queries, at most `max_bytes` of text (UTF-8), least recently
    used dropped first."""

    def __init__(self, max_bytes: int = 10_000_000) -> None:
        self._queries: LRUCache[str, str] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda query: len(query.encode()))

    async def get(self, sha256: str) -> str | None:
        return self._queries.get(sha256)

    async def put(self, sha256: str, query: str) -> None:
        with contextlib.suppress(ValueError):  # larger than the whole store: not kept
            self._queries[sha256] = query


class RedisQueryStore:
    """Registered queries shared by every replica; they expire unless used again."""

    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int = 7 * 24 * 3600) -> None:
        self._redis = redis
        self._prefix = f"{prefix}apq:"
        self._ttl = ttl_seconds

    async def get(self, sha256: str) -> str | None:
        value = await self._redis.getex(self._prefix + sha256, ex=self._ttl)
        return None if value is None else value.decode() if isinstance(value, bytes) else value

    async def put(self, sha256: str, query: str) -> None:
        await self._redis.set(self._prefix + sha256, query, ex=self._ttl)


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def load_manifest(path: Path) -> dict[str, str]:
    """An allow-list: Apollo's persisted-query manifest, or a JSON object of id → query."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        return {op["id"]: op["body"] for op in data["operations"]}
    if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        return dict(data)
    raise ValueError(f"{path}: not a persisted-query manifest")


class PersistedQueries:
    """Turns a request's query and `extensions.persistedQuery` into the query text to run."""

    def __init__(self, store: QueryStore, *, apq: bool = True,
                 allowlist: dict[str, str] | None = None, metrics: Metrics | None = None,
                 vet: Callable[[str], None] | None = None) -> None:
        """`vet` raises `PersistedQueryError` for a document no request may send (too
        large, too many tokens, too deep…): such a document is never stored."""
        self.store = store
        self.apq = apq
        self.allowlist = allowlist
        self.metrics = metrics
        self.vet = vet

    async def resolve(self, query: str | None, extensions: dict[str, Any] | None, *,
                      unrestricted: bool = False) -> str | None:
        """`unrestricted` callers (auditors exploring) are not held to the allow-list."""
        persisted = (extensions or {}).get("persistedQuery")
        sha256 = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if self.allowlist is not None and not (unrestricted and query is not None):
            return self._allowed(query, sha256)
        if sha256 is None:
            return query
        if not self.apq:
            raise PersistedQueryError(PERSISTED_QUERY_NOT_SUPPORTED, "PersistedQueryNotSupported")
        if query is None:
            found = await self.store.get(sha256)
            if self.metrics is not None:
                self.metrics.observe_cache("persisted_queries", found is not None)
            if found is None:
                raise PersistedQueryError(PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
            return found
        if sha256_of(query) != sha256:
            raise PersistedQueryError(PERSISTED_QUERY_HASH_MISMATCH,
                                      "the query's sha256 does not match persistedQuery.sha256Hash")
        if self.vet is not None:
            self.vet(query)
        await self.store.put(sha256, query)
        return query

    def _allowed(self, query: str | None, sha256: str | None) -> str:
        assert self.allowlist is not None
        key = sha256 if query is None else sha256_of(query)
        found = self.allowlist.get(key) if key else None
        if found is None:
            raise PersistedQueryError(OPERATION_NOT_ALLOWED,
                                      "only registered operations run on this gateway")
        return found
