"""One reading of the Accept header for GraphQL and the REST facade: a q-value that is not a
number from 0 to 1 makes its media range unwanted, wherever it is sent."""

from __future__ import annotations

import pytest

from tests.conftest import Gateway

GRAPHQL_RESPONSE = "application/graphql-response+json"
BAD_Q = ["q=abc", "q=", "q=2", "q=nan", "q=-1"]


@pytest.mark.parametrize("bad", BAD_Q)
async def test_a_bad_q_value_is_not_a_preference_for_csv(http_gateway: Gateway,
                                                          bad: str) -> None:
    response = await http_gateway.client.get(
        "/api/v1/indicators", headers={**http_gateway.headers,
                                       "Accept": f"text/csv;{bad}, application/json;q=0.5"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "SAFE_WATER_PCT" in {i["code"] for i in response.json()["items"]}


@pytest.mark.parametrize("bad", BAD_Q)
async def test_a_bad_q_value_is_not_a_preference_for_graphql_response_json(
        http_gateway: Gateway, bad: str) -> None:
    response = await http_gateway.client.post(
        "/graphql", json={"query": '{ area(code: "34") { code } }'},
        headers={**http_gateway.headers,
                 "Accept": f"{GRAPHQL_RESPONSE};{bad}, application/json;q=0.5"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"area": {"code": "34"}}}


@pytest.mark.parametrize(("accept", "csv"), [
    ("text/csv", True), ("application/json, text/csv", False),
    ("application/json;q=0.4, text/csv;q=0.6", True), ("text/csv;q=0", False), ("*/*", False),
])
async def test_csv_when_it_is_ranked_first(http_gateway: Gateway, accept: str,
                                           csv: bool) -> None:
    response = await http_gateway.client.get(
        "/api/v1/indicators", headers={**http_gateway.headers, "Accept": accept})
    assert response.headers["content-type"].startswith("text/csv" if csv else "application/json")
