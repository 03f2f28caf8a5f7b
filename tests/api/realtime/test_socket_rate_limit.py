"""Operations started on a websocket are charged to the caller's rate limit, as requests are."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from areagraph.core.settings import Settings
from tests.api.realtime.conftest import LEGACY_WS, TRANSPORT_WS, WAIT, GatewayProcess, one_gateway
from tests.conftest import dev_token
from tests.databases import TemplateDatabases

BURST = 3
QUERY = 'subscription { sourceEvent(areaCode: "34") { eventId } }'


@pytest.fixture(scope="module")
def limited(templates: TemplateDatabases, dev_key_path: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GatewayProcess, Settings]]:
    """A gateway whose callers may start three operations, then about one a minute."""
    with one_gateway(templates, dev_key_path, tmp_path_factory.mktemp("limited") / "gw.log",
                     {"AREAGRAPH_RATE_LIMIT_BURST": str(BURST),
                      "AREAGRAPH_RATE_LIMIT_PER_SECOND": "0.02"}) as made:
        yield made


async def _refused(url: str, token: str, protocol: str, count: int) -> dict[str, Any]:
    """Start `count` subscriptions on one socket, then one more that must be refused (the
    socket's messages are handled in order, so its refusal comes after every earlier answer);
    the errors the socket sent, by operation id."""
    start = "subscribe" if protocol == TRANSPORT_WS else "start"
    last = str(count)
    async with websockets.connect(url, subprotocols=[protocol],  # type: ignore[list-item]
                                  open_timeout=WAIT) as socket:
        await socket.send(json.dumps({"type": "connection_init",
                                      "payload": {"Authorization": f"Bearer {token}"}}))
        while json.loads(await asyncio.wait_for(socket.recv(), WAIT))["type"] != (
                "connection_ack"):
            pass
        for n in range(count + 1):
            await socket.send(json.dumps({"id": str(n), "type": start,
                                          "payload": {"query": QUERY}}))
        errors: dict[str, Any] = {}
        while last not in errors:
            message = json.loads(await asyncio.wait_for(socket.recv(), WAIT))
            if message["type"] == "error":
                payload = message["payload"]
                errors[message["id"]] = payload[0] if isinstance(payload, list) else payload
    return errors


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_operations_beyond_the_limit_are_refused_on_the_socket(
        limited: tuple[GatewayProcess, Settings], protocol: str) -> None:
    gateway, settings = limited
    token = dev_token(settings, ["ministry_admin"], subject=f"busy-{protocol}")
    errors = await _refused(gateway.ws_url, token, protocol, BURST + 1)
    assert set(errors) == {str(BURST), str(BURST + 1)}, errors
    refusal = errors[str(BURST)]
    assert refusal["extensions"]["code"] == "RATE_LIMITED", refusal
    assert refusal["extensions"]["retryAfter"] > 0 and "retry after" in refusal["message"]


async def test_another_caller_keeps_their_own_allowance(
        limited: tuple[GatewayProcess, Settings]) -> None:
    gateway, settings = limited
    spent = dev_token(settings, ["ministry_admin"], subject="spent")
    assert set(await _refused(gateway.ws_url, spent, TRANSPORT_WS, BURST)) == {str(BURST)}
    assert set(await _refused(gateway.ws_url, spent, TRANSPORT_WS, 0)) == {"0"}
    fresh = dev_token(settings, ["ministry_admin"], subject="fresh")
    assert set(await _refused(gateway.ws_url, fresh, TRANSPORT_WS, BURST)) == {str(BURST)}
