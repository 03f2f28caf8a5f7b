"""One reading of the Accept header for GraphQL and the REST facade: a q-value that is not a
number from 0 to 1 makes its media range unwanted, wherever it is sent."""

from __future__ import annotations

from tests.conftest import Gateway

GRAPHQL_RESPONSE = "application/graphql-response+json"
BAD_Q = ["q=abc", "q=", "q=2", "q=nan", "q=-1"]


async def _media_type(gateway: Gateway, path: str, accept: str) -> str:
    if path == "/graphql":
        response = await gateway.client.post(
            path, json={"query": '{ area(code: "34") { code } }'},
            headers={**gateway.headers, "Accept": accept})
        assert response.json() == {"data": {"area": {"code": "34"}}}
    else:
        response = await gateway.client.get(path, headers={**gateway.headers, "Accept": accept})
    assert response.status_code == 200, response.text
    return response.headers["content-type"].partition(";")[0]


async def test_a_bad_q_value_is_no_preference_on_either_endpoint(http_gateway: Gateway) -> None:
    answered = {(path, bad): await _media_type(http_gateway, path, f"{preferred};{bad}, "
                                               "application/json;q=0.5")
                for path, preferred in [("/graphql", GRAPHQL_RESPONSE),
                                        ("/api/v1/indicators", "text/csv")]
                for bad in BAD_Q}
    assert set(answered.values()) == {"application/json"}, answered


async def test_csv_when_it_is_ranked_first(http_gateway: Gateway) -> None:
    cases = {"text/csv": "text/csv", "application/json, text/csv": "application/json",
             "application/json;q=0.4, text/csv;q=0.6": "text/csv",
             "text/csv;q=0": "application/json", "*/*": "application/json"}
    answered = {accept: await _media_type(http_gateway, "/api/v1/indicators", accept)
                for accept in cases}
    assert answered == cases
