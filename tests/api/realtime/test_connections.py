"""The websocket itself: credentials in connection_init, expiry, keep-alive, slow consumers."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from tests.api.realtime.conftest import TRANSPORT_WS, WAIT, GatewayProcess, Realtime

SUBSCRIBE = {"id": "1", "type": "subscribe", "payload": {
    "query": 'subscription { observationRecorded(areaCode: "TH") { eventId value } }'}}


async def _closed(ws: ClientConnection) -> ConnectionClosed:
    """Read until the server closes the socket; the close frame it sent."""
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT):
            while True:
                await ws.recv()
    return closed.value


async def _init(ws: ClientConnection, payload: dict[str, Any]) -> None:
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))


async def test_a_socket_without_credentials_is_closed_unauthorized(realtime: Realtime) -> None:
    async with connect(realtime.a.ws_url, subprotocols=[TRANSPORT_WS]) as ws:  # type: ignore[list-item]
        await _init(ws, {})
        closed = await _closed(ws)
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (
        4401, "Unauthorized")


async def test_a_bad_token_is_refused_forbidden(realtime: Realtime) -> None:
    async with connect(realtime.a.ws_url, subprotocols=[TRANSPORT_WS]) as ws:  # type: ignore[list-item]
        await _init(ws, {"Authorization": "Bearer not.a.token"})
        closed = await _closed(ws)
    assert closed.rcvd is not None and closed.rcvd.code == 4403


async def test_the_socket_closes_when_the_token_expires(realtime: Realtime) -> None:
    token = realtime.token("ministry_admin", ttl=2, subject="short-lived")
    async with connect(realtime.b.ws_url, subprotocols=[TRANSPORT_WS]) as ws:  # type: ignore[list-item]
        await _init(ws, {"authorization": f"Bearer {token}"})
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps(SUBSCRIBE))
        closed = await _closed(ws)
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (
        4401, "Token expired")


async def test_the_server_pings_to_keep_the_socket_alive(realtime: Realtime,
                                                         admin_token: str) -> None:
    async with connect(realtime.a.ws_url, subprotocols=[TRANSPORT_WS]) as ws:  # type: ignore[list-item]
        await _init(ws, {"Authorization": f"Bearer {admin_token}"})
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
    assert message == {"type": "ping"}


class StalledClient:
    """A graphql-transport-ws client over a bare socket that stops reading when told to.

    (Client libraries keep reading into memory whatever the application does.)
    """

    def __init__(self, url: str) -> None:
        self.protocol = ClientProtocol(parse_uri(url), subprotocols=[TRANSPORT_WS])  # type: ignore[list-item]
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        self.sock.setblocking(False)
        self.loop = asyncio.get_running_loop()

    async def open(self, port: int, init: dict[str, Any]) -> None:
        await self.loop.sock_connect(self.sock, ("127.0.0.1", port))
        self.protocol.send_request(self.protocol.connect())
        await self._flush()
        await self.receive_until(lambda e: isinstance(e, Response))
        await self.send({"type": "connection_init", "payload": init})
        await self.receive_until(lambda e: isinstance(e, Frame) and b"connection_ack" in e.data)

    async def send(self, message: dict[str, Any]) -> None:
        self.protocol.send_text(json.dumps(message).encode())
        await self._flush()

    async def _flush(self) -> None:
        for data in self.protocol.data_to_send():
            await self.loop.sock_sendall(self.sock, data)

    async def receive_until(self, done: Any) -> Any:
        async with asyncio.timeout(WAIT):
            while True:
                data = await self.loop.sock_recv(self.sock, 1 << 20)
                if not data:
                    raise EOFError("connection closed without a close frame")
                self.protocol.receive_data(data)
                for event in self.protocol.events_received():
                    if done(event):
                        return event

    def close(self) -> None:
        self.sock.close()


    def tcp_established(self) -> bool:
        """Whether the TCP connection is still up, seen from this end without reading it."""
        info = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
        return info[0] == _TCP_ESTABLISHED


_TCP_ESTABLISHED = 1  # tcpi_state in Linux's struct tcp_info


async def stall(client: StalledClient, realtime: Realtime, gateway: GatewayProcess,
                token: str, tag: str) -> None:
    """Subscribe `client`, then send it large events (declarations naming thousands of villages)
    that it never reads: the gateway cannot send them, and its socket's buffers fill up."""
    await client.open(gateway.port, {"Authorization": f"Bearer {token}"})
    await client.send({"id": "1", "type": "subscribe", "payload": {
        "query": 'subscription { sourceEvent(areaCode: "34") { eventId areaCodes } }'}})
    villages = [f"34{n:06d}" for n in range(5000)]
    for call in range(12):
        events = [{"kind": "drought_declared", "reference": f"{tag}-{call}-{n}",
                   "title": "Drought", "areaCode": "34", "areaCodes": villages}
                  for n in range(15)]
        assert (await realtime.ingest(realtime.b, events)).status_code == 202


async def test_a_client_that_does_not_read_is_disconnected_with_a_reason(
        realtime: Realtime, admin_token: str) -> None:
    client = StalledClient(realtime.a.ws_url)
    try:
        # The subscription's queue (32 here) fills up.
        await stall(client, realtime, realtime.a, admin_token, "SLOW")
        closing = await client.receive_until(
            lambda e: isinstance(e, Frame) and e.opcode is Opcode.CLOSE)
    finally:
        client.close()
    close = Close.parse(closing.data)
    assert close.code == 1008 and close.reason.startswith("Slow consumer"), close


async def test_a_client_that_never_reads_again_is_cut_off(realtime: Realtime,
                                                          admin_token: str) -> None:
    """The close cannot reach a client that does not read; the gateway aborts the connection
    a few seconds later instead of holding it (and its unsent events) open."""
    client = StalledClient(realtime.a.ws_url)
    try:
        await stall(client, realtime, realtime.a, admin_token, "STALLED")
        async with asyncio.timeout(WAIT * 3):
            while client.tcp_established():  # noqa: ASYNC110 - nothing to wait on but the state
                await asyncio.sleep(0.2)
    finally:
        client.close()
