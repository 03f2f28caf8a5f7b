"""Metrics move when requests are made; every response carries a request id; logs are JSON."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import logging
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from strawberry.types import ExecutionResult

from areagraph.api.observability.metrics import OperationMetrics
from areagraph.api.observability.request_log import JsonFormatter, request_id
from areagraph.api.services import GatewayContext, Services
from areagraph.auth.principal import Principal, Role
from areagraph.connectors.simulators.server import RunningSimulator
from areagraph.schema import build_schema
from tests.api.conftest import OpenGateway
from tests.conftest import Gateway


async def scrape(gateway: Gateway) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await gateway.client.get("/metrics", headers=gateway.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_move_when_requests_are_made(http_gateway: Gateway) -> None:
    before = await scrape(http_gateway)
    await http_gateway.query('query Ubon { area(code: "34") { code } }')
    await http_gateway.query('query Ubon { area(code: "34") { code } }')
    await http_gateway.query("query Broken { nothing }")
    after = await scrape(http_gateway)

    ok = dict(operation="Ubon", type="query", outcome="ok")
    assert value(after, "areagraph_graphql_operations_total", **ok) == value(
        before, "areagraph_graphql_operations_total", **ok) + 2
    failed = dict(operation="Broken", type="query", outcome="GRAPHQL_VALIDATION_FAILED")
    assert value(after, "areagraph_graphql_operations_total", **failed) == 1
    assert value(after, "areagraph_graphql_operation_seconds_count", operation="Ubon",
                 type="query") == 2
    http = dict(route="/graphql", method="POST", status="200")
    assert value(after, "areagraph_http_requests_total", **http) >= 3
    assert ("areagraph_subscriptions_open", frozenset()) in after


async def test_persisted_query_lookups_count_hits_and_misses(http_gateway: Gateway) -> None:
    query = "{ __typename }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(
        query.encode()).hexdigest()}}
    for payload in ({"extensions": persisted}, {"query": query, "extensions": persisted},
                    {"extensions": persisted}):
        await http_gateway.client.post("/graphql", json=payload, headers=http_gateway.headers)
    after = await scrape(http_gateway)
    for result in ("hit", "miss"):
        assert value(after, "areagraph_cache_lookups_total", cache="persisted_queries",
                     result=result) == 1


async def test_metrics_need_a_caller_allowed_to_see_operations(http_gateway: Gateway) -> None:
    http_gateway.logout()
    anonymous = await http_gateway.client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    http_gateway.login("partner", topics=["water"])
    partner = await http_gateway.client.get("/metrics", headers=http_gateway.headers)
    assert partner.status_code == 403


async def test_every_response_carries_a_request_id(http_gateway: Gateway) -> None:
    made = await http_gateway.client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    kept = await http_gateway.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    replaced = await http_gateway.client.get("/healthz", headers={"X-Request-ID": "bad id\n"})
    assert replaced.headers["x-request-id"] != "bad id\n"


def test_log_lines_are_json_with_the_request_id() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("areagraph.test")
    logger.addHandler(handler)
    token = request_id.set("req-1")
    try:
        logger.warning("source %s slow", "dopa", extra={"duration_ms": 1234})
    finally:
        request_id.reset(token)
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "source dopa slow"
    assert line["request_id"] == "req-1"
    assert line["duration_ms"] == 1234
    assert line["level"] == "warning"


async def test_open_subscriptions_are_counted(http_gateway: Gateway) -> None:
    services = http_gateway.services
    schema = build_schema(extensions=[OperationMetrics])
    ops = Principal(subject="ops", roles=frozenset({Role.MINISTRY_ADMIN}))
    context = GatewayContext(services, ops)
    stream = await schema.subscribe(
        'subscription { observationRecorded(areaCode: "34") { eventId } }',
        context_value=context)
    assert not isinstance(stream, ExecutionResult)
    waiting = asyncio.ensure_future(anext(stream))
    for _ in range(500):  # until the subscription has started
        if open_subscriptions(services) == 1:
            break
        await asyncio.sleep(0.01)
    assert open_subscriptions(services) == 1
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    await stream.aclose()
    assert open_subscriptions(services) == 0


def open_subscriptions(services: Services) -> float | None:
    assert services.metrics is not None
    return services.metrics.registry.get_sample_value("areagraph_subscriptions_open")


async def test_source_calls_are_exported(open_gateway: OpenGateway, tmp_path: Path) -> None:
    dopa = RunningSimulator("dopa").start()
    try:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[sources.dopa]\nkind = "dopa"\nbase_url = "{dopa.url}"\n'
                           'auth = { type = "api_key", header = "X-DOPA-Key", '
                           'key = "demo-dopa-key" }\n', encoding="utf-8")
        gateway = await open_gateway(sources_file=sources)
        body = await gateway.query('{ area(code: "3401") { indicatorValues(codes: '
                                   '["POPULATION_REGISTERED"], period: "FY2026") { source } } }')
        assert {v["source"] for v in body["data"]["area"]["indicatorValues"]} == {"dopa"}
        after = await scrape(gateway)
        dopa.stop()
        down = await gateway.query('{ area(code: "3402") { indicatorValues(codes: '
                                   '["POPULATION_REGISTERED"], period: "FY2026") { source } } }')
        assert down["errors"][0]["extensions"]["code"] == "SOURCE_UNAVAILABLE"
        later = await scrape(gateway)
    finally:
        dopa.stop()
    assert value(after, "areagraph_source_calls_total", source="dopa", outcome="ok") == 1
    assert value(after, "areagraph_source_calls_total", source="dopa", outcome="failed") == 0
    assert value(after, "areagraph_source_up", source="dopa") == 1
    assert value(after, "areagraph_source_failure_ratio", source="dopa") == 0
    assert value(later, "areagraph_source_calls_total", source="dopa", outcome="ok") == 1
    assert value(later, "areagraph_source_calls_total", source="dopa", outcome="failed") == 1
    assert value(later, "areagraph_source_up", source="dopa") == 0
