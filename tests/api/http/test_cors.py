"""CORS: browser pages on the origins in AREAGRAPH_CORS_ORIGINS may call the API; no other
origin gets a CORS header (credentials least of all); with none listed there is no CORS at all."""

from __future__ import annotations

from areagraph.core.settings import Settings
from tests.api.conftest import OpenGateway

LISTED = "https://dashboard.moi.go.th"
OTHER = "https://elsewhere.example"
PREFLIGHT = {"Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type"}


def test_origins_are_read_comma_separated() -> None:
    settings = Settings(_env_file=None, cors_origins=f" {LISTED}, http://127.0.0.1:5173 ,")
    assert settings.cors_origins == [LISTED, "http://127.0.0.1:5173"]
    assert Settings(_env_file=None).cors_origins == []


async def test_a_listed_origins_preflight_is_answered(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(cors_origins=[LISTED])
    response = await gateway.client.options("/graphql", headers={"Origin": LISTED, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == LISTED
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed


async def test_a_listed_origin_reads_the_answer(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(cors_origins=[LISTED])
    response = await gateway.client.post("/graphql", json={"query": "{ me { subject } }"},
                                          headers={**gateway.headers, "Origin": LISTED})
    assert response.status_code == 200
    assert response.json()["data"]["me"]["subject"] == "admin"
    assert response.headers["access-control-allow-origin"] == LISTED
    assert response.headers["access-control-allow-credentials"] == "true"


async def test_another_origins_preflight_is_refused_without_cors_headers(
        open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(cors_origins=[LISTED])
    response = await gateway.client.options("/graphql", headers={"Origin": OTHER, **PREFLIGHT})
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert not [h for h in response.headers if h.startswith("access-control-")]


async def test_another_origin_gets_no_credentials_on_a_plain_request(
        open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(cors_origins=[LISTED])
    response = await gateway.client.post("/graphql", json={"query": "{ me { subject } }"},
                                          headers={**gateway.headers, "Origin": OTHER})
    assert not [h for h in response.headers if h.startswith("access-control-")]


async def test_without_listed_origins_there_is_no_cors(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway()
    response = await gateway.client.options("/graphql", headers={"Origin": LISTED, **PREFLIGHT})
    assert response.status_code == 405
    assert not [h for h in response.headers if h.startswith("access-control-")]
