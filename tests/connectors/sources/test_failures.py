"""A source that is down, slow or talking nonsense costs its own part of the answer, no more."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from areagraph.auth.dev_issuer import load_or_create_key
from areagraph.core.settings import Settings
from tests.api.realtime.conftest import GatewayProcess, RedisServer
from tests.conftest import Gateway, dev_token
from tests.connectors.sources.conftest import FAULTS, Simulators, write_sources_file

QUERY = """{ area(code: "3401") {
    indicatorValues(codes: ["POPULATION_REGISTERED", "THAIQM_HEALTH_HH", "WATER_LOSS_PCT",
                            "LAND_DISPUTES"], period: "FY2026") { source stale } } }"""
HEALTH = """{ sources { name agency status circuit lastSuccessAt latencyMs errorRate calls
                        lastError } }"""


@pytest.fixture
def source_options() -> dict[str, Any]:
    return {"timeout": 0.4, "retries": 1, "circuit_threshold": 3, "circuit_reset": 0.3}


def sources_of(body: dict[str, Any]) -> set[str]:
    return {v["source"] for v in body["data"]["area"]["indicatorValues"]}


# What the gateway says of each of FAULTS (in its order): the reason and the message.
SAID = [
    ("http_500", "cdd answered HTTP 500"),
    ("http_500", "cdd answered HTTP 500"),
    ("timeout", "cdd did not answer in time"),
    ("timeout", "cdd did not answer in time"),
    ("not_json", "cdd answered something that is not JSON"),
    ("bad_shape", "cdd answered data of the wrong shape (records.0.pee: Input should be a valid "
                  "integer, unable to parse string as an integer)"),
]


@pytest.mark.parametrize(("faults", "code", "reason", "message"),
                         [(*fault, *said) for fault, said in zip(FAULTS, SAID, strict=True)])
async def test_a_failing_source_costs_only_its_part(gateway: Gateway, sims: Simulators,
                                                    faults: dict[str, Any], code: str,
                                                    reason: str, message: str) -> None:
    sims.faults("cdd", **faults)
    body = await gateway.query(QUERY)
    assert body["_status"] == 200
    assert sources_of(body) == {"dopa", "pwa", "lands"}
    assert body["errors"] == [{
        "message": message, "path": ["area", "indicatorValues"],
        "extensions": {"code": code, "source": "cdd", "reason": reason}}]


async def test_each_failed_source_has_one_error_however_many_areas(gateway: Gateway,
                                                                   sims: Simulators) -> None:
    sims.faults("pwa", mode="error")
    sims.faults("dopa", mode="wrong_types")
    body = await gateway.query("""{ areas(level: DISTRICT, first: 50) { edges { node {
        indicatorValues(codes: ["WATER_LOSS_PCT", "POPULATION_REGISTERED", "LAND_DISPUTES"],
                        period: "2026-01") { source } } } } }""")
    assert {(e["extensions"]["source"], e["extensions"]["code"]) for e in body["errors"]} == {
        ("pwa", "SOURCE_UNAVAILABLE"), ("dopa", "SOURCE_BAD_RESPONSE")}
    assert len(body["errors"]) == 2
    # each at the first place it left empty: the first district's values
    assert {tuple(e["path"]) for e in body["errors"]} == {
        ("areas", "edges", 0, "node", "indicatorValues")}
    values = [v for e in body["data"]["areas"]["edges"] for v in e["node"]["indicatorValues"]]
    assert {v["source"] for v in values} == {"lands"}


async def test_retry_once_rides_out_a_single_failure(gateway: Gateway, sims: Simulators) -> None:
    sims.faults("pwa", error_rate=0.5)
    answered = 0
    for month in range(1, 9):
        body = await gateway.query(f"""{{ area(code: "3401") {{
            indicatorValues(codes: ["WATER_LOSS_PCT"], period: "2026-{month:02d}") {{ value }}
        }} }}""")
        answered += bool(body["data"]["area"]["indicatorValues"])
    statuses = [c["status"] for c in sims.calls("pwa")]
    assert 500 in statuses and 8 < len(statuses) <= 16
    # Walk the simulator's log: a query is answered when its first or its one retry got 200.
    expected, index = 0, 0
    while index < len(statuses):
        if statuses[index] == 200:
            expected, index = expected + 1, index + 1
        else:
            expected += index + 1 < len(statuses) and statuses[index + 1] == 200
            index += 2
    assert answered == expected


async def test_circuit_opens_stops_calls_and_recovers(gateway: Gateway, sims: Simulators) -> None:
    sims.faults("dopa", mode="error")
    for month in (1, 2, 3):
        body = await gateway.query(f"""{{ area(code: "34") {{ indicatorValues(
            codes: ["POPULATION_REGISTERED"], period: "2026-0{month}") {{ value }} }} }}""")
        assert body["errors"][0]["extensions"]["reason"] == "http_500"
    calls_when_opened = len(sims.calls("dopa"))
    assert calls_when_opened == 6  # three queries, each tried twice

    body = await gateway.query("""{ area(code: "34") { indicatorValues(
        codes: ["POPULATION_REGISTERED"], period: "2026-04") { value } } }""")
    assert body["errors"][0]["extensions"] == {
        "code": "SOURCE_UNAVAILABLE", "source": "dopa", "reason": "circuit_open"}
    assert len(sims.calls("dopa")) == calls_when_opened
    health = {s["name"]: s for s in (await gateway.query(HEALTH))["data"]["sources"]}
    assert health["dopa"]["circuit"] == "OPEN" and health["dopa"]["status"] == "DOWN"
    assert health["dopa"]["errorRate"] == 1.0 and health["dopa"]["agency"] == "DOPA"

    sims.faults("dopa")
    await asyncio.sleep(0.35)  # past circuit_reset: the next call is the half-open probe
    body = await gateway.query("""{ area(code: "34") { indicatorValues(
        codes: ["POPULATION_REGISTERED"], period: "2026-05") { value } } }""")
    assert "errors" not in body, body.get("errors")
    assert len(body["data"]["area"]["indicatorValues"]) == 1
    assert len(sims.calls("dopa")) == calls_when_opened + 1
    health = {s["name"]: s for s in (await gateway.query(HEALTH))["data"]["sources"]}
    assert health["dopa"]["circuit"] == "CLOSED" and health["dopa"]["lastSuccessAt"]


@pytest.mark.parametrize("source_options", [{"cache_ttl": 0.2, "timeout": 0.4}])
async def test_stale_answer_is_served_and_marked_when_the_source_is_down(
        gateway: Gateway, sims: Simulators) -> None:
    fresh = await gateway.query(QUERY)
    assert "errors" not in fresh and not any(
        v["stale"] for v in fresh["data"]["area"]["indicatorValues"])
    sims.faults("cdd", mode="error")
    sims.faults("pwa", mode="timeout")
    await asyncio.sleep(0.25)  # past cache_ttl: the answers are no longer fresh
    body = await gateway.query(QUERY)
    assert "errors" not in body, body.get("errors")
    values = body["data"]["area"]["indicatorValues"]
    assert values and {v["source"] for v in values} == sources_of(fresh)
    assert {v["source"] for v in values if v["stale"]} == {"cdd", "pwa"}
    assert len(sims.calls("cdd")) == 1 + 2  # the fresh call, then one retried failure


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


async def test_redis_cache_serves_stale_answers_across_gateway_processes(
        settings: Settings, database_url: str, sims: Simulators, redis_server: RedisServer,
        tmp_path: Path) -> None:
    """Two uvicorn processes share the source cache in Redis: what one fetched, the other
    answers without a call, and serves marked stale once it is old and the source is down."""
    sources = write_sources_file(tmp_path / "sources.toml", sims, cache_ttl=300, timeout=0.4)
    load_or_create_key(settings.dev_key_path)
    env = {"AREAGRAPH_DATABASE_URL": database_url, "AREAGRAPH_REDIS_URL": redis_server.url,
           "AREAGRAPH_SOURCES_FILE": str(sources), "AREAGRAPH_DEV_TOKENS": "true",
           "AREAGRAPH_DEV_KEY_PATH": str(settings.dev_key_path)}
    token = dev_token(settings, ["ministry_admin"])
    first, second = (GatewayProcess(env, tmp_path / f"{name}.log") for name in ("a", "b"))

    async def ask(gateway: GatewayProcess) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(f"{gateway.http_url}/graphql", json={"query": QUERY},
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Cache-Control": "no-cache"})
        return dict(response.json())  # not from the response cache: from the sources' cache

    try:
        for gateway in (first, second):
            gateway.start()
        for gateway in (first, second):
            await asyncio.to_thread(gateway.wait_ready)
        fetched = await ask(first)
        assert "errors" not in fetched, fetched.get("errors")
        assert len(sims.calls("cdd")) == 1
        # the answer is written to Redis just after it is sent: wait for it, not for the clock
        await _wait_until_cached(redis_server.url, "cdd")
        again = await ask(second)
        assert len(sims.calls("cdd")) == 1 and again["data"] == fetched["data"]

        sims.faults("cdd", mode="error")
        assert await _age_cached_answers(redis_server.url, "cdd", 301) == 1
        stale = await ask(second)
    finally:
        for gateway in (first, second):
            gateway.stop()
    assert "errors" not in stale, stale.get("errors")
    assert stale["data"]["area"]["indicatorValues"] == [
        {**value, "stale": value["source"] == "cdd"}
        for value in fetched["data"]["area"]["indicatorValues"]]
    assert len(sims.calls("cdd")) == 1 + 2  # the first fetch, then one retried failure


async def _wait_until_cached(redis_url: str, source: str, within: float = 10.0) -> None:
    redis = Redis.from_url(redis_url)
    try:
        async with asyncio.timeout(within):  # another process writes it: polled, no event
            while not [key async for key in redis.scan_iter(match=f"*:{source}|*")]:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    finally:
        await redis.aclose()


async def _age_cached_answers(redis_url: str, source: str, seconds: float) -> int:
    """Make the cached answers of `source` `seconds` older, as the clock would, at once."""
    redis = Redis.from_url(redis_url)
    aged = 0
    try:
        async for key in redis.scan_iter(match=f"*:{source}|*"):
            raw = await redis.get(key)
            assert raw is not None
            document = json.loads(raw)
            fetched_at = datetime.fromisoformat(document["fetched_at"])
            document["fetched_at"] = (fetched_at - timedelta(seconds=seconds)).isoformat()
            await redis.set(key, json.dumps(document, ensure_ascii=False), keepttl=True)
            aged += 1
    finally:
        await redis.aclose()
    return aged
