"""createApiKey / revokeApiKey / apiKeys and `me`, on a schema of just these root types."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.tools import merge_types

from areagraph.api.graphql.errors import ErrorCodes
from areagraph.api.services import GatewayContext
from areagraph.auth.principal import Principal, Role
from areagraph.schema.api_keys import ApiKeyMutation, ApiKeyQuery
from areagraph.schema.me import MeQuery
from tests.conftest import Gateway

SCHEMA = strawberry.Schema(query=merge_types("Query", (MeQuery, ApiKeyQuery)),
                           mutation=ApiKeyMutation, extensions=[ErrorCodes])
ADMIN = Principal(subject="admin@moi.go.th", roles=frozenset({Role.MINISTRY_ADMIN}))
PARTNER = Principal(subject="api-key:1", roles=frozenset({Role.PARTNER}), area_scope=("34",),
                    agency="CDD", topics=("poverty",), via="api_key")

CREATE = """mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { id name roles areaScope topics agency createdBy
    expiresAt revokedAt lastUsedAt } } }"""
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }"


async def run(gateway: Gateway, principal: Principal | None, query: str,
              variables: dict[str, Any] | None = None) -> tuple[Any, list[str]]:
    result = await SCHEMA.execute(query, variable_values=variables,
                                  context_value=GatewayContext(gateway.services, principal))
    codes = [(e.extensions or {}).get("code", "") for e in result.errors or []]
    return result.data, codes


def key_input(**changes: Any) -> dict[str, Any]:
    return {"input": {"name": "CDD poverty dashboard", "roles": ["partner"], "areaScope": ["34"],
                      "topics": ["poverty"], "agency": "CDD", "expiresInDays": 90, **changes}}


async def test_admin_creates_lists_and_revokes_keys(gateway: Gateway) -> None:
    data, errors = await run(gateway, ADMIN, CREATE, key_input())
    assert errors == []
    created = data["createApiKey"]
    assert created["key"].startswith("ag_")
    assert created["apiKey"]["roles"] == ["partner"]
    assert created["apiKey"]["areaScope"] == ["34"]
    assert created["apiKey"]["createdBy"] == "admin@moi.go.th"
    assert created["apiKey"]["expiresAt"] and created["apiKey"]["revokedAt"] is None

    gateway.logout()
    response = await gateway.client.post("/graphql", json={"query": "{ __typename }"},
                                         headers={"X-API-Key": created["key"]})
    assert response.status_code == 200

    data, errors = await run(gateway, ADMIN, "{ apiKeys { id lastUsedAt } }")
    assert errors == [] and data["apiKeys"][0]["lastUsedAt"] is not None

    data, errors = await run(gateway, ADMIN, REVOKE, {"id": created["apiKey"]["id"]})
    assert errors == [] and data["revokeApiKey"]["revokedAt"]
    response = await gateway.client.post("/graphql", json={"query": "{ __typename }"},
                                         headers={"X-API-Key": created["key"]})
    assert response.status_code == 401

    _data, errors = await run(gateway, ADMIN, REVOKE, {"id": "no-such-key"})
    assert errors == ["NOT_FOUND"]


@pytest.mark.parametrize(("principal", "code"), [(None, "UNAUTHENTICATED"),
                                                 (PARTNER, "FORBIDDEN")])
async def test_only_an_admin_manages_keys(gateway: Gateway, principal: Principal | None,
                                          code: str) -> None:
    for query, variables in ((CREATE, key_input()), (REVOKE, {"id": "x"}),
                             ("{ apiKeys { id } }", None)):
        _data, errors = await run(gateway, principal, query, variables)
        assert errors == [code]
    _data, errors = await run(gateway, ADMIN, "{ apiKeys { id } }")
    assert _data == {"apiKeys": []}


async def test_bad_key_input_is_refused(gateway: Gateway) -> None:
    for changes in ({"roles": ["superuser"]}, {"areaScope": ["99"]}, {"areaScope": ["3x"]},
                    {"name": " "}, {"expiresInDays": 0}):
        _data, errors = await run(gateway, ADMIN, CREATE, key_input(**changes))
        assert errors == ["BAD_USER_INPUT"], changes


async def test_me_shows_the_principal(gateway: Gateway) -> None:
    data, errors = await run(gateway, PARTNER,
                             "{ me { subject roles areaScope agency topics via } }")
    assert errors == []
    assert data["me"] == {"subject": "api-key:1", "roles": ["partner"], "areaScope": ["34"],
                          "agency": "CDD", "topics": ["poverty"], "via": "api_key"}
    data, _errors = await run(gateway, None, "{ me { subject } }")
    assert data == {"me": None}


@pytest.mark.parametrize(("default_days", "sent", "lasts"), [
    (90, None, 90), (90, 7, 7), (0, None, None),
], ids=["default", "asked", "never-when-configured"])
async def test_keys_expire_by_default(gateway: Gateway, default_days: int, sent: int | None,
                                      lasts: int | None) -> None:
    from dataclasses import replace
    from datetime import datetime, timedelta

    from areagraph.core.clock import utcnow

    services = gateway.services
    services.for_resolvers = replace(services.for_resolvers, api_key_default_days=default_days)
    data, errors = await run(gateway, ADMIN, CREATE, key_input(expiresInDays=sent,
                                                               roles=["ministry_admin"]))
    assert errors == []
    expires = data["createApiKey"]["apiKey"]["expiresAt"]
    if lasts is None:
        assert expires is None
    else:
        left = datetime.fromisoformat(expires).replace(tzinfo=None) - utcnow().replace(
            tzinfo=None)
        assert timedelta(days=lasts - 1) < left <= timedelta(days=lasts)
