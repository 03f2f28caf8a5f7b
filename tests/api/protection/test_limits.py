"""Each query limit refuses its attack before execution, with a code and the limit, and lets a
normal dashboard query through."""

from __future__ import annotations

import pytest

from tests.api.conftest import DASHBOARD, OpenGateway
from tests.conftest import Gateway

DEEP = '{ area(code: "34") { ' + "children { " * 12 + "code" + " }" * 12 + " } }"
ALIASES = "{ " + " ".join(f'a{i}: area(code: "10") {{ code }}' for i in range(41)) + " }"
TOKENS = "{ " + "a " * 3_100 + "}"
LARGE = "{ __typename }" + "#" * 20_001
COSTLY = "{ areas(first: 1000) { edges { node { children { children { code } } } } } }"


async def test_the_dashboard_query_passes_every_limit(http_gateway: Gateway) -> None:
    body = await http_gateway.query(DASHBOARD)
    assert "errors" not in body, body.get("errors")
    assert body["data"]["provinces"]["totalCount"] == 77
    assert len(body["data"]["ubon"]["children"]) > 20


@pytest.mark.parametrize(("query", "code", "limit"), [
    (DEEP, "QUERY_TOO_DEEP", 12),
    (ALIASES, "TOO_MANY_ALIASES", 40),
    (TOKENS, "TOO_MANY_TOKENS", 3_000),
    (LARGE, "QUERY_TOO_LARGE", 20_000),
    (COSTLY, "QUERY_TOO_COMPLEX", 50_000),
], ids=["depth", "aliases", "tokens", "size", "cost"])
async def test_each_limit_refuses_its_attack_before_execution(
    http_gateway: Gateway, query: str, code: str, limit: int
) -> None:
    http_gateway.statements.reset()
    body = await http_gateway.query(query)
    assert body["data"] is None
    [error] = [e for e in body["errors"] if e["extensions"]["code"] == code]
    assert error["extensions"]["limit"] == limit
    assert http_gateway.statements.count == 0


async def test_cost_counts_page_sizes_sent_as_variables(http_gateway: Gateway) -> None:
    query = ("query($n: Int) { areas(first: $n) { edges { node { children { children { code }"
             " } } } } }")
    small = await http_gateway.query(query, {"n": 2})
    assert "errors" not in small
    large = await http_gateway.query(query, {"n": 1000})
    assert large["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": 50_000,
                                                "actual": 423_001}


async def test_limits_come_from_settings(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(max_query_depth=2, max_query_cost=100)
    deep = await gateway.query('{ area(code: "34") { children { children { code } } } }')
    assert deep["errors"][0]["extensions"] == {"code": "QUERY_TOO_DEEP", "limit": 2}
    costly = await gateway.query("{ areas(first: 200) { totalCount edges { cursor } } }")
    assert costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_introspection_is_for_authenticated_callers(http_gateway: Gateway) -> None:
    query = "{ __schema { queryType { name } } }"
    allowed = await http_gateway.query(query)
    assert allowed["data"]["__schema"]["queryType"]["name"] == "Query"
    http_gateway.logout()
    refused = await http_gateway.query(query)
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
    typename = await http_gateway.query("{ __typename }")
    assert typename["data"] == {"__typename": "Query"}


async def test_batches_are_refused_unless_enabled(open_gateway: OpenGateway) -> None:
    single = {"query": "{ __typename }"}
    default = await open_gateway()
    refused = await default.client.post("/graphql", json=[single, single],
                                        headers=default.headers)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"] == {"code": "BATCHING_DISABLED", "limit": 0}

    batching = await open_gateway(max_batch_size=2)
    ok = await batching.client.post("/graphql", json=[single, single], headers=batching.headers)
    assert ok.status_code == 200
    assert ok.json() == [{"data": {"__typename": "Query"}}] * 2
    too_many = await batching.client.post("/graphql", json=[single] * 3,
                                          headers=batching.headers)
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["extensions"] == {"code": "BATCH_TOO_LARGE", "limit": 2,
                                                          "actual": 3}


async def test_request_bodies_are_bounded(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(max_body_bytes=10_000)
    response = await gateway.client.post(
        "/graphql", json={"query": "{ __typename }", "variables": {"pad": "x" * 20_000}},
        headers=gateway.headers)
    assert response.status_code == 413


async def test_an_operation_past_its_time_is_stopped(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(execution_timeout=1e-9)
    body = await gateway.query('{ areas(level: PROVINCE) { totalCount } }')
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "EXECUTION_TIMEOUT", "limit": 1e-9}
