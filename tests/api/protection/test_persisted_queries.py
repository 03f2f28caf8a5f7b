"""Automatic Persisted Queries (register, hit, miss) and the allow-list mode."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from areagraph.api.protection.persisted_queries import (
    MemoryQueryStore,
    PersistedQueries,
    RedisQueryStore,
    sha256_of,
)
from tests.api.conftest import OpenGateway
from tests.conftest import Gateway

QUERY = '{ area(code: "34") { code nameEn } }'
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(sha256: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def post(gateway: Gateway, **payload: Any) -> Any:
    response = await gateway.client.post("/graphql", json=payload, headers=gateway.headers)
    return response.json()


async def test_apq_miss_then_register_then_hit(http_gateway: Gateway) -> None:
    miss = await post(http_gateway, extensions=persisted(HASH))
    assert miss["errors"][0]["message"] == "PersistedQueryNotFound"
    assert miss["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = await post(http_gateway, query=QUERY, extensions=persisted(HASH))
    assert registered["data"]["area"]["code"] == "34"

    hit = await post(http_gateway, extensions=persisted(HASH))
    assert hit == registered


async def test_apq_over_get(http_gateway: Gateway) -> None:
    await post(http_gateway, query=QUERY, extensions=persisted(HASH))
    response = await http_gateway.client.get(
        "/graphql", params={"extensions": json.dumps(persisted(HASH))},
        headers=http_gateway.headers)
    assert response.json() == {"data": {"area": {"code": "34", "nameEn": "Ubon Ratchathani"}}}


async def test_a_hash_that_does_not_match_its_query_is_refused(http_gateway: Gateway) -> None:
    body = await post(http_gateway, query=QUERY, extensions=persisted("0" * 64))
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_the_allow_list_runs_only_registered_operations(open_gateway: OpenGateway,
                                                              tmp_path: Path) -> None:
    manifest = tmp_path / "operations.json"
    manifest.write_text(json.dumps({
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [{"id": HASH, "name": "Ubon", "type": "query", "body": QUERY}],
    }))
    gateway = await open_gateway(allowlist_file=manifest)
    gateway.login("executive")

    by_hash = await post(gateway, extensions=persisted(HASH))
    assert by_hash["data"]["area"]["code"] == "34"
    by_text = await post(gateway, query=QUERY)
    assert by_text == by_hash

    unknown = await post(gateway, query='{ area(code: "10") { code } }')
    assert unknown["data"] is None
    assert unknown["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    unknown_hash = await post(gateway, extensions=persisted("f" * 64))
    assert unknown_hash["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"

    gateway.login("auditor")  # auditors explore in GraphiQL, outside the allow-list
    explored = await post(gateway, query="{ __schema { queryType { name } } }")
    assert explored["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_registered_queries_are_shared_through_redis(redis_prefix: str) -> None:
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        replica_a = PersistedQueries(RedisQueryStore(redis, redis_prefix))
        replica_b = PersistedQueries(RedisQueryStore(redis, redis_prefix))
        assert await replica_a.resolve(QUERY, persisted(HASH)) == QUERY
        assert await replica_b.resolve(None, persisted(HASH)) == QUERY
    finally:
        await redis.delete(f"{redis_prefix}apq:{HASH}")
        await redis.aclose()


async def _stored(gateway: Gateway, query: str) -> str | None:
    found: str | None = await gateway.services.persisted_queries.store.get(
        hashlib.sha256(query.encode()).hexdigest())
    return found


async def test_a_document_over_any_limit_is_never_stored(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(max_query_bytes=2_000, max_query_depth=3)
    gateway.logout()  # anyone may register a query: the limits hold for anonymous callers too
    too_large = "{ __typename }" + "#" * 300_000
    too_deep = '{ area(code: "34") { children { children { children { code } } } } }'
    for query, code in ((too_large, "QUERY_TOO_LARGE"), (too_deep, "QUERY_TOO_DEEP")):
        sha256 = hashlib.sha256(query.encode()).hexdigest()
        body = await post(gateway, query=query, extensions=persisted(sha256))
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code, body
        assert await _stored(gateway, query) is None
    small = await open_gateway(max_query_tokens=100)
    tokens = "{ " + "__typename " * 150 + "}"
    body = await post(small, query=tokens,
                      extensions=persisted(hashlib.sha256(tokens.encode()).hexdigest()))
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_TOKENS", "limit": 100}
    assert await _stored(small, tokens) is None


async def test_the_in_process_store_is_bounded_by_bytes() -> None:
    store = MemoryQueryStore(max_bytes=10_000)
    queries = [f"{{ __typename }} # {n:04d}" + "x" * 1_000 for n in range(30)]
    for query in queries:
        await store.put(sha256_of(query), query)
    kept = [q for q in queries if await store.get(sha256_of(q)) is not None]
    assert sum(len(q.encode()) for q in kept) <= 10_000
    assert kept == queries[-len(kept):] and len(kept) >= 8  # the most recent ones
    await store.put("huge", "#" * 20_000)  # larger than the whole store: not kept
    assert await store.get("huge") is None
