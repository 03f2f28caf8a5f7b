"""GraphQL over HTTP as the spec describes it: media types, GET for queries, status codes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Gateway

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_graphql_response_json_when_the_client_accepts_it(http_gateway: Gateway) -> None:
    response = await http_gateway.client.post(
        "/graphql", json={"query": '{ area(code: "34") { code } }'},
        headers={**http_gateway.headers, "Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"area": {"code": "34"}}}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json",
                                    f"application/json, {GRAPHQL_RESPONSE};q=0.5"])
async def test_plain_json_for_legacy_clients(http_gateway: Gateway, accept: str | None) -> None:
    headers = dict(http_gateway.headers)
    if accept is not None:
        headers["Accept"] = accept
    response = await http_gateway.client.post("/graphql", json={"query": "{ nothing }"},
                                              headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(("payload", "code"), [
    ({"query": "{ areas("}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ nothingHere }"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query($l: AreaLevel) { areas(level: $l) { totalCount } }",
      "variables": {"l": "VILLAGE"}}, "BAD_USER_INPUT"),
])
async def test_requests_that_cannot_run_are_400_without_data(
    http_gateway: Gateway, payload: dict[str, object], code: str
) -> None:
    response = await http_gateway.client.post(
        "/graphql", json=payload, headers={**http_gateway.headers, "Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code


async def test_field_errors_keep_200_and_data(http_gateway: Gateway) -> None:
    response = await http_gateway.client.post(
        "/graphql", json={"query": '{ area(code: "3x") { code } }'},
        headers={**http_gateway.headers, "Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 200
    assert response.json()["data"] == {"area": None}


async def test_get_runs_queries(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/graphql", params={"query": "query($c: String!) { area(code: $c) { code } }",
                            "variables": json.dumps({"c": "10"})},
        headers={**http_gateway.headers, "Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 200
    assert response.json() == {"data": {"area": {"code": "10"}}}


async def test_get_refuses_mutations_with_405(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/graphql", params={"query": "mutation { __typename }"},
        headers={**http_gateway.headers, "Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 405


async def test_malformed_bodies_are_400(http_gateway: Gateway) -> None:
    response = await http_gateway.client.post(
        "/graphql", content=b"{not json", headers={**http_gateway.headers,
                                                  "Content-Type": "application/json",
                                                  "Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
