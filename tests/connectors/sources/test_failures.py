"""A source that is down, slow or talking nonsense costs its own part of the answer, no more."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from tests.conftest import Gateway
from tests.connectors.sources.conftest import FAULTS, Simulators

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


@pytest.mark.parametrize(("faults", "code"), FAULTS)
async def test_a_failing_source_costs_only_its_part(gateway: Gateway, sims: Simulators,
                                                    faults: dict[str, Any], code: str) -> None:
    sims.faults("cdd", **faults)
    body = await gateway.query(QUERY)
    assert body["_status"] == 200
    assert sources_of(body) == {"dopa", "pwa", "lands"}
    assert body["errors"] == [{
        "message": body["errors"][0]["message"], "path": ["area", "indicatorValues"],
        "extensions": {"code": code, "source": "cdd",
                       "reason": body["errors"][0]["extensions"]["reason"]}}]
    assert "Traceback" not in body["errors"][0]["message"]


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
async def redis_settings(settings: Any) -> AsyncIterator[Any]:
    prefix = f"test:{uuid.uuid4().hex}:"
    yield settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0",
                                      "source_cache_prefix": prefix})
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    async for key in redis.scan_iter(match=f"{prefix}*"):
        await redis.delete(key)
    await redis.aclose()


@pytest.mark.parametrize("source_options", [{"cache_ttl": 0.8, "timeout": 0.4}])
async def test_redis_cache_serves_stale_answers_across_gateways(
        redis_settings: Any, sims: Simulators) -> None:
    from api.app import create_app

    async def ask() -> dict[str, Any]:
        app = create_app(redis_settings)
        async with app.router.lifespan_context(app):
            import httpx

            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
                response = await client.post("/graphql", json={"query": QUERY}, headers={
                    "Authorization": f"Bearer {dev_token(redis_settings)}"})
                return dict(response.json())

    first = await ask()
    assert "errors" not in first, first.get("errors")
    assert len(sims.calls("cdd")) == 1
    again = await ask()  # a second gateway process: answered from Redis, no call
    assert len(sims.calls("cdd")) == 1 and again["data"] == first["data"]
    sims.faults("cdd", mode="error")
    await asyncio.sleep(0.85)
    stale = await ask()
    assert "errors" not in stale
    assert {v["source"] for v in stale["data"]["area"]["indicatorValues"] if v["stale"]} == {
        "cdd"}


def dev_token(settings: Any) -> str:
    from tests.conftest import dev_token as issue

    return issue(settings, ["ministry_admin"])
