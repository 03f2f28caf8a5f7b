"""Every operation on a websocket passes the gate HTTP requests pass, on both protocols: the
credential as it stands now, the allow-list, persisted queries, the size limit and the timeout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from areagraph.api.protection.persisted_queries import sha256_of
from areagraph.core.settings import Settings
from tests.api.realtime.conftest import (
    LEGACY_WS,
    TRANSPORT_WS,
    WAIT,
    WEBHOOK_SECRET,
    GatewayProcess,
    Realtime,
    one_gateway,
)
from tests.api.sources.test_webhooks import flood
from tests.conftest import dev_token
from tests.databases import TemplateDatabases

Made = tuple[GatewayProcess, Settings]
REGISTERED_QUERY = '{ area(code: "34") { code } }'
REGISTERED_SUBSCRIPTION = 'subscription { sourceEvent(areaCode: "34") { reference } }'
UNREGISTERED = "{ complaints { totalCount } }"
CREATE_KEY = ('mutation { createApiKey(input: {name: "again", roles: ["ministry_admin"]}) '
              '{ key } }')
BOTH = pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS], ids=["transport", "legacy"])


@pytest.fixture(scope="module")
def guarded(templates: TemplateDatabases, dev_key_path: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """A gateway with an allow-list (ministry admins may run anything) that checks open
    sockets' credentials every half second."""
    folder = tmp_path_factory.mktemp("guarded")
    manifest = folder / "allowlist.json"
    manifest.write_text(json.dumps({sha256_of(q): q for q in (REGISTERED_QUERY,
                                                               REGISTERED_SUBSCRIPTION)}))
    with one_gateway(templates, dev_key_path, folder / "gateway.log", {
            "AREAGRAPH_ALLOWLIST_FILE": str(manifest),
            "AREAGRAPH_WS_CREDENTIAL_CHECK_SECONDS": "0.5",
            "AREAGRAPH_MAX_QUERY_BYTES": "2000"}) as made:
        yield made


@pytest.fixture(scope="module")
def hurried(templates: TemplateDatabases, dev_key_path: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """A gateway whose operations may run for a nanosecond."""
    folder = tmp_path_factory.mktemp("hurried")
    with one_gateway(templates, dev_key_path, folder / "gateway.log", {
            "AREAGRAPH_EXECUTION_TIMEOUT": "1e-9",
            "AREAGRAPH_WEBHOOK_SECRETS": json.dumps({"ddpm": WEBHOOK_SECRET})}) as made:
        yield made


def _start(protocol: str, id_: str, payload: dict[str, Any]) -> str:
    kind = "subscribe" if protocol == TRANSPORT_WS else "start"
    return json.dumps({"id": id_, "type": kind, "payload": payload})


@asynccontextmanager
async def socket(gateway: GatewayProcess, protocol: str,
                 credential: dict[str, str]) -> AsyncIterator[ClientConnection]:
    async with connect(gateway.ws_url, subprotocols=[protocol],  # type: ignore[list-item]
                       open_timeout=WAIT) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": credential}))
        while json.loads(await asyncio.wait_for(ws.recv(), WAIT))["type"] != "connection_ack":
            pass
        yield ws


async def _answer(ws: ClientConnection, id_: str) -> dict[str, Any]:
    """The next message about operation `id_` (keep-alives skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if message.get("id") == id_:
            return message


async def _closed(ws: ClientConnection) -> tuple[int, str, list[dict[str, Any]]]:
    """Read until the server closes: its close code and reason, and what came before."""
    seen: list[dict[str, Any]] = []
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT):
            while True:
                seen.append(json.loads(await ws.recv()))
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason, seen


async def _graphql(gateway: GatewayProcess, query: str, token: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(f"{gateway.http_url}/graphql", json={"query": query},
                                     headers={"Authorization": f"Bearer {token}"})
    body: dict[str, Any] = response.json()
    return body


async def _admin_key(gateway: GatewayProcess, admin: str) -> tuple[str, str]:
    created = await _graphql(gateway, 'mutation { createApiKey(input: {name: "socket", '
                                      'roles: ["ministry_admin"]}) { key apiKey { id } } }', admin)
    issued = created["data"]["createApiKey"]
    return issued["key"], issued["apiKey"]["id"]


async def _revoke(gateway: GatewayProcess, admin: str, key_id: str, key: str) -> None:
    revoked = await _graphql(gateway, f'mutation {{ revokeApiKey(id: "{key_id}") {{ id }} }}',
                             admin)
    assert "errors" not in revoked, revoked
    async with httpx.AsyncClient(timeout=10) as client:
        refused = await client.post(f"{gateway.http_url}/graphql",
                                    json={"query": "{ me { subject } }"},
                                    headers={"X-API-Key": key})
    assert refused.status_code == 401


@BOTH
async def test_a_revoked_key_cannot_start_anything_on_an_open_socket(guarded: Made,
                                                                     protocol: str) -> None:
    gateway, settings = guarded
    admin = dev_token(settings, ["ministry_admin"], subject=f"admin-{protocol}")
    key, key_id = await _admin_key(gateway, admin)
    async with socket(gateway, protocol, {"X-API-Key": key}) as ws:
        await ws.send(_start(protocol, "before", {"query": REGISTERED_SUBSCRIPTION}))
        await _revoke(gateway, admin, key_id, key)
        operation = CREATE_KEY if protocol == TRANSPORT_WS else REGISTERED_SUBSCRIPTION
        await ws.send(_start(protocol, "after", {"query": operation}))
        code, reason, seen = await _closed(ws)
    assert code == 4403 and "revoked" in reason, (code, reason)
    assert not [m for m in seen if m.get("id") == "after" and m["type"] in ("next", "data")]
    keys = await _graphql(gateway, "{ apiKeys { name } }", admin)
    assert "again" not in {k["name"] for k in keys["data"]["apiKeys"]}


async def test_a_live_subscription_ends_when_its_key_is_revoked(guarded: Made) -> None:
    gateway, settings = guarded
    admin = dev_token(settings, ["ministry_admin"], subject="admin-live")
    key, key_id = await _admin_key(gateway, admin)
    async with socket(gateway, TRANSPORT_WS, {"X-API-Key": key}) as ws:
        await ws.send(_start(TRANSPORT_WS, "live", {"query": REGISTERED_SUBSCRIPTION}))
        await _revoke(gateway, admin, key_id, key)
        code, reason, _seen = await _closed(ws)
    assert code == 4403 and "revoked" in reason, (code, reason)


@BOTH
async def test_the_allow_list_holds_on_sockets(guarded: Made, protocol: str) -> None:
    gateway, settings = guarded
    governor = dev_token(settings, ["governor"], ["34"], subject=f"governor-{protocol}")
    async with socket(gateway, protocol, {"Authorization": f"Bearer {governor}"}) as ws:
        await ws.send(_start(protocol, "1", {"query": UNREGISTERED}))
        refused = await _answer(ws, "1")
        await ws.send(_start(protocol, "2", {"query": "subscription { alertRaised(areaCode: "
                                                       '"34") { eventId } }'}))
        also_refused = await _answer(ws, "2")
    for message in (refused, also_refused):
        assert message["type"] == "error", message
        payload = message["payload"]
        error = payload[0] if isinstance(payload, list) else payload
        assert error["extensions"]["code"] == "OPERATION_NOT_ALLOWED", error


async def test_registered_operations_run_by_hash_on_a_socket(guarded: Made) -> None:
    gateway, settings = guarded
    governor = dev_token(settings, ["governor"], ["34"], subject="governor-hash")
    by_hash = {"extensions": {"persistedQuery": {"version": 1,
                                                 "sha256Hash": sha256_of(REGISTERED_QUERY)}}}
    async with socket(gateway, TRANSPORT_WS, {"Authorization": f"Bearer {governor}"}) as ws:
        await ws.send(_start(TRANSPORT_WS, "1", by_hash))
        answered = await _answer(ws, "1")
        await ws.send(_start(TRANSPORT_WS, "2", {"query": REGISTERED_QUERY}))
        by_text = await _answer(ws, "2")
    assert answered == {"id": "1", "type": "next",
                        "payload": {"data": {"area": {"code": "34"}}}}, answered
    assert by_text["payload"] == answered["payload"]


@BOTH
async def test_a_document_over_the_size_limit_is_refused_on_a_socket(guarded: Made,
                                                                     protocol: str) -> None:
    gateway, settings = guarded
    admin = dev_token(settings, ["ministry_admin"], subject=f"admin-large-{protocol}")
    large = REGISTERED_SUBSCRIPTION + "#" * 2_000
    async with socket(gateway, protocol, {"Authorization": f"Bearer {admin}"}) as ws:
        await ws.send(_start(protocol, "1", {"query": large}))
        refused = await _answer(ws, "1")
    payload = refused["payload"]
    error = payload[0] if isinstance(payload, list) else payload
    assert error["extensions"] == {"code": "QUERY_TOO_LARGE", "limit": 2000,
                                   "actual": len(large)}, error


async def test_a_query_on_a_socket_is_stopped_at_the_timeout(hurried: Made) -> None:
    gateway, settings = hurried
    admin = dev_token(settings, ["ministry_admin"], subject="admin-slow")
    async with socket(gateway, TRANSPORT_WS, {"Authorization": f"Bearer {admin}"}) as ws:
        await ws.send(_start(TRANSPORT_WS, "1", {"query": "{ areas(first: 5) { totalCount } }"}))
        stopped = await _answer(ws, "1")
    assert stopped["type"] == "error", stopped
    assert stopped["payload"][0]["extensions"] == {"code": "EXECUTION_TIMEOUT", "limit": 1e-9}


@BOTH
async def test_subscriptions_outlive_the_timeout(hurried: Made, protocol: str) -> None:
    gateway, settings = hurried
    helper = Realtime(gateway, gateway, redis=None, settings=settings)  # type: ignore[arg-type]
    admin = dev_token(settings, ["ministry_admin"], subject=f"admin-live-{protocol}")
    query = ('subscription($since: ID) { sourceEvent(areaCode: "34", since: $since) '
             '{ reference } }')
    since = str(helper.latest_event_id())  # so the event arrives however soon it is sent
    async with socket(gateway, protocol, {"Authorization": f"Bearer {admin}"}) as ws:
        await ws.send(_start(protocol, "1", {"query": query, "variables": {"since": since}}))
        assert (await helper.ingest(gateway, [flood(f"LATE-{protocol}")])).status_code == 202
        event = await _answer(ws, "1")
    assert event["type"] in ("next", "data"), event
    assert event["payload"]["data"]["sourceEvent"]["reference"] == f"LATE-{protocol}"


async def test_a_credential_sent_on_the_upgrade_request_still_admits_operations(
        guarded: Made) -> None:
    gateway, settings = guarded
    governor = dev_token(settings, ["governor"], ["34"], subject="governor-upgrade")
    async with connect(gateway.ws_url, subprotocols=[TRANSPORT_WS],  # type: ignore[list-item]
                       additional_headers={"Authorization": f"Bearer {governor}"},
                       open_timeout=WAIT) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT))["type"] == "connection_ack"
        await ws.send(_start(TRANSPORT_WS, "1", {"query": REGISTERED_QUERY}))
        answered = await _answer(ws, "1")
    assert answered["payload"] == {"data": {"area": {"code": "34"}}}, answered


async def test_deeply_nested_json_on_a_socket_closes_it_as_bad_json(guarded: Made) -> None:
    gateway, settings = guarded
    admin = dev_token(settings, ["ministry_admin"], subject="admin-nested")
    nested = "[" * 1_000 + '"x"' + "]" * 1_000
    async with socket(gateway, TRANSPORT_WS, {"Authorization": f"Bearer {admin}"}) as ws:
        await ws.send('{"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }", '
                      f'"variables": {{"v": {nested}}}}}}}')
        code, reason, _seen = await _closed(ws)
    assert (code, reason) == (4400, "WebSocket message must be valid JSON")
