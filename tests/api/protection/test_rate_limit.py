"""Token buckets per principal and per IP: 429 with Retry-After once a bucket is empty."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from areagraph.api.protection.rate_limit import Bucket, BucketStore, MemoryBuckets, RedisBuckets
from tests.api.conftest import OpenGateway

QUERY = {"query": "{ __typename }"}
SLOW = Bucket(capacity=3, per_second=0.01)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def redis(redis_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url("redis://127.0.0.1:6379/0")
    yield client
    keys = [k async for k in client.scan_iter(f"{redis_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def drain(store: BucketStore, key: str) -> list[bool]:
    return [(await store.take(key, SLOW)).allowed for _ in range(4)]


async def test_the_in_process_bucket_empties_and_refills() -> None:
    clock = FakeClock()
    store = MemoryBuckets(clock=clock)
    assert await drain(store, "a") == [True, True, True, False]
    refused = await store.take("a", SLOW)
    assert refused.retry_after == pytest.approx(100.0)
    assert (await store.take("b", SLOW)).allowed  # another caller has its own bucket
    clock.now += 100.0
    assert (await store.take("a", SLOW)).allowed


async def test_the_redis_bucket_is_shared_by_replicas(redis: Redis, redis_prefix: str) -> None:
    replica_a, replica_b = RedisBuckets(redis, redis_prefix), RedisBuckets(redis, redis_prefix)
    assert [(await replica_a.take("k", SLOW)).allowed for _ in range(2)] == [True, True]
    assert (await replica_b.take("k", SLOW)).allowed
    refused = await replica_b.take("k", SLOW)
    assert not refused.allowed
    assert 0 < refused.retry_after <= 100.0


async def test_an_unreachable_redis_falls_back_to_this_replicas_buckets(
        caplog: pytest.LogCaptureFixture) -> None:
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    try:
        store = RedisBuckets(down, "areagraph-test:")
        with caplog.at_level(logging.WARNING, logger="areagraph.rate_limit"):
            assert await drain(store, "a") == [True, True, True, False]  # still limited
            assert await drain(store, "b") == [True, True, True, False]
    finally:
        await down.aclose()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]  # one per outage


async def test_429_with_retry_after_once_the_bucket_is_empty(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(rate_limit_burst=3, rate_limit_per_second=0.01)
    statuses = []
    for _ in range(4):
        response = await gateway.client.post("/graphql", json=QUERY, headers=gateway.headers)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
    assert int(response.headers["Retry-After"]) >= 1
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["limit"] == 3

    gateway.login("executive", subject="someone-else")
    other = await gateway.client.post("/graphql", json=QUERY, headers=gateway.headers)
    assert other.status_code == 200


async def test_anonymous_callers_are_limited_per_ip_through_redis(
    open_gateway: OpenGateway, redis: Redis, redis_prefix: str
) -> None:
    gateway = await open_gateway(redis_url="redis://127.0.0.1:6379/0", redis_prefix=redis_prefix,
                                 rate_limit_anonymous_burst=2,
                                 rate_limit_anonymous_per_second=0.01)
    gateway.logout()
    statuses = [(await gateway.client.post("/graphql", json=QUERY)).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    gateway.login("auditor")
    assert (await gateway.client.post("/graphql", json=QUERY,
                                      headers=gateway.headers)).status_code == 200
