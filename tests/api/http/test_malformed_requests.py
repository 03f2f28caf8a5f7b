"""Malformed requests answer a coded JSON error (never plain text or a 500); unknown routes
answer a coded 404; the API description is for signed-in callers; anonymous callers get no
"Did you mean" map of the schema."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import OpenGateway
from tests.conftest import Gateway

NESTED = "[" * 1_000 + '"x"' + "]" * 1_000
ACCEPTS = pytest.mark.parametrize("accept", ["application/json",
                                             "application/graphql-response+json"])
MALFORMED: list[tuple[str, dict[str, Any]]] = [
    ("bad JSON", {"content": b'{"query": ', "headers": {"content-type": "application/json"}}),
    ("non-string query", {"json": {"query": 5}}),
    ("query as a list", {"json": {"query": ["{ __typename }"]}}),
    ("variables not an object", {"json": {"query": "{ __typename }", "variables": "x"}}),
    ("wrong content type", {"content": b"{ __typename }",
                            "headers": {"content-type": "text/plain"}}),
    ("a number for a body", {"json": 5}),
    ("variables nested 1,000 deep", {
        "content": ('{"query": "query($v: String) { area(code: $v) { code } }", '
                    f'"variables": {{"v": {NESTED}}}}}').encode(),
        "headers": {"content-type": "application/json"}}),
]


@ACCEPTS
@pytest.mark.parametrize(("case", "request_"), MALFORMED, ids=[c for c, _ in MALFORMED])
async def test_a_malformed_request_answers_a_coded_json_error(
        http_gateway: Gateway, accept: str, case: str, request_: dict[str, Any]) -> None:
    headers = {**http_gateway.headers, "accept": accept, **request_.get("headers", {})}
    response = await http_gateway.client.post(
        "/graphql", headers=headers, **{k: v for k, v in request_.items() if k != "headers"})
    assert 400 <= response.status_code < 500, (case, response.status_code, response.text)
    assert "json" in response.headers["content-type"], case
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and error["message"], case


async def test_deeply_nested_variables_over_get_are_refused(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/graphql", params={"query": "query($v: String) { area(code: $v) { code } }",
                            "variables": f'{{"v": {NESTED}}}'},
        headers={**http_gateway.headers, "accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_unknown_routes_and_methods_answer_coded_json(http_gateway: Gateway) -> None:
    for path in ("/api/v1/nothing-here", "/nothing-here"):
        missing = await http_gateway.client.get(path, headers=http_gateway.headers)
        assert missing.status_code == 404
        assert missing.json() == {"code": "NOT_FOUND",
                                  "message": f"no such route: GET {path}"}
    wrong_method = await http_gateway.client.put("/graphql", headers=http_gateway.headers)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "METHOD_NOT_ALLOWED"


async def test_the_api_description_needs_a_credential(http_gateway: Gateway) -> None:
    document = await http_gateway.client.get("/openapi.json", headers=http_gateway.headers)
    assert document.status_code == 200 and "/api/v1/areas" in document.json()["paths"]
    page = await http_gateway.client.get("/docs", headers=http_gateway.headers)
    assert page.status_code == 200 and "swagger" in page.text.lower()
    http_gateway.logout()
    for path in ("/openapi.json", "/docs"):
        anonymous = await http_gateway.client.get(path)
        assert anonymous.status_code == 401, path
        assert anonymous.json()["code"] == "UNAUTHENTICATED", path
    assert (await http_gateway.client.get("/redoc")).status_code == 404
    assert (await http_gateway.client.get("/healthz")).status_code == 200


TYPO = "{ areaz(first: 1) { totalCount } }"
ENUM_TYPO = ("query($level: AreaLevel) { areas(level: $level, first: 1) { totalCount } }",
             {"level": "PROVINCEE"})


async def _messages(gateway: Gateway) -> list[str]:
    typo = await gateway.query(TYPO)
    enum = await gateway.query(*ENUM_TYPO)
    return [e["message"] for e in typo["errors"] + enum["errors"]]


async def test_anonymous_callers_get_no_suggestions(http_gateway: Gateway) -> None:
    signed_in = await _messages(http_gateway)
    assert all("Did you mean" in m for m in signed_in), signed_in  # still helpful in development
    http_gateway.logout()
    anonymous = await _messages(http_gateway)
    assert anonymous and not any("Did you mean" in m for m in anonymous), anonymous
    assert "areaz" in anonymous[0]  # the error still says what is wrong


async def test_nobody_gets_suggestions_in_production(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(environment="production", dev_tokens=False)
    gateway.headers["X-API-Key"] = await _admin_key(gateway)
    messages = await _messages(gateway)
    assert messages and not any("Did you mean" in m for m in messages), messages


async def _admin_key(gateway: Gateway) -> str:
    from areagraph.auth.api_keys import create_api_key

    issued = await create_api_key(gateway.services.database, name="production test",
                                  roles=["ministry_admin"], created_by="test")
    return issued.key
