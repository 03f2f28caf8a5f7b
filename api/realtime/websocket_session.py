"""A subscription websocket: who is on it, when it must close, and how it keeps alive.

The credential arrives in ``connection_init`` (browsers cannot set headers on a websocket):
``{"Authorization": "Bearer …"}`` or ``{"X-API-Key": "…"}``. A socket without one is closed with
4401 Unauthorized, one with a bad credential with 4403 Forbidden (graphql-transport-ws), and every
socket is closed when its credential expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import CompleteMessage, ErrorMessage

from areagraph.api.realtime.shared_streams import shared_follower
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Principal
from areagraph.core.clock import utcnow
from areagraph.resolvers.context import Context

log = logging.getLogger(__name__)

UNAUTHORIZED = 4401
SLOW_CONSUMER = 1008  # policy violation: the client did not read its events in time
_CLOSE_WAIT = 10.0


class SocketSession:
    """One websocket's caller; closes the socket when the credential expires."""

    def __init__(self, websocket: WebSocket, principal: Principal) -> None:
        self.websocket = websocket
        self.principal = principal
        self.closed = False
        self._closing: asyncio.Task[None] | None = None
        self._expiry: asyncio.TimerHandle | None = None
        if principal.expires_at is not None:
            delay = (principal.expires_at - utcnow()).total_seconds()
            self._expiry = asyncio.get_running_loop().call_later(
                max(delay, 0.0), self.close_soon, UNAUTHORIZED, "Token expired")

    def close_soon(self, code: int, reason: str) -> None:
        """Close from synchronous code (a timer, the broker's fan-out)."""
        if not self.closed and self._closing is None:
            self._closing = asyncio.create_task(self.close(code, reason))

    def too_slow(self, queue_size: int) -> None:
        """A subscription on this socket left `queue_size` events unsent: disconnect it."""
        self.close_soon(SLOW_CONSUMER, f"Slow consumer: more than {queue_size} events unsent; "
                                       "resume with since")

    async def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.release()
        if self.websocket.application_state is not WebSocketState.DISCONNECTED:
            # Bounded whatever the server: a close must not wait on a client that stopped reading
            # (under `areagraph serve` the connection is also aborted after a few seconds).
            with contextlib.suppress(RuntimeError, OSError, TimeoutError):
                async with asyncio.timeout(_CLOSE_WAIT):
                    await self.websocket.close(code=code, reason=reason[:120])

    def release(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None


Authenticate = Callable[[Mapping[str, str]], Awaitable[Principal | None]]


async def accept_connection(context: Context, authenticate: Authenticate) -> None:
    """`on_ws_connect`: authenticate the `connection_init` payload (by the process's
    authenticator) and remember the caller."""
    websocket = context.request
    assert isinstance(websocket, WebSocket)
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    headers = {name: value for name, value in params.items() if isinstance(value, str)}
    try:
        principal = await authenticate(headers) or context.principal
    except InvalidCredentials as error:
        raise ConnectionRejectionError({"message": error.message,
                                        "extensions": {"code": error.code}}) from None
    if principal is None:
        await websocket.close(code=UNAUTHORIZED, reason="Unauthorized")
        raise ConnectionRejectionError({"message": "authentication required"})
    if principal.expires_at is not None and principal.expires_at <= utcnow():
        raise ConnectionRejectionError({"message": "credential expired"})
    context.principal = principal
    context.socket = SocketSession(websocket, principal)


def release_connection(context: Any) -> None:
    """After the socket ends: stop its timers."""
    socket = getattr(context, "socket", None)
    if isinstance(socket, SocketSession):
        socket.closed = True
        socket.release()


class ClosableWebSocketAdapter(ASGIWebSocketAdapter):
    """Once the gateway has closed a socket, later sends and closes do nothing."""

    async def send_json(self, message: Any) -> None:
        if self.ws.application_state is WebSocketState.DISCONNECTED:
            return
        await super().send_json(message)

    async def send_text(self, text: str) -> None:
        """Send an already encoded message (a shared stream encodes each event once)."""
        if self.ws.application_state is WebSocketState.DISCONNECTED:
            return
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state is WebSocketState.DISCONNECTED:
            return
        await super().close(code, reason)


class PingingTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws with keep-alive (a `ping` every interval once acknowledged), whose
    live subscriptions join a shared stream when another socket has the same one."""

    _pinger: asyncio.Task[None] | None = None

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        with shared_follower(self.context, self.schema, operation.query,
                             operation.operation_name, operation.variables) as follower:
            if follower is None:
                await super().run_operation(operation)
                return
            prefix = '{"id":' + orjson.dumps(operation.id).decode() + ',"type":'
            try:
                while (message := await follower.queue.get()) is not None:
                    await _send_text(self.websocket,
                                     f'{prefix}"{message.kind}","payload":{message.payload}}}')
                    if message.kind == "error":
                        self.operations.pop(operation.id, None)
                        return
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            except WebSocketDisconnected:
                pass

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._pinger is None:
            self._pinger = asyncio.create_task(self._ping())

    async def _ping(self) -> None:
        interval = self.view.keep_alive_interval or 15.0
        while True:
            await asyncio.sleep(interval)
            await self.send_message({"type": "ping"})

    async def shutdown(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pinger
        await super().shutdown()


class RateLimitedGraphQLWSHandler(BaseGraphQLWSHandler[Any, Any]):
    """The legacy graphql-ws protocol; api/graphql/socket_gate.py admits each `start` like a
    request."""

    async def handle_async_results(self, operation_id: str, query: str,
                                   operation_name: str | None,
                                   variables: dict[str, object] | None) -> None:
        """Live subscriptions join a shared stream, as on graphql-transport-ws."""
        with shared_follower(self.context, self.schema, query, operation_name,
                             variables) as follower:
            if follower is None:
                await super().handle_async_results(operation_id, query, operation_name,
                                                   variables)
                return
            prefix = '{"type":"data","id":' + orjson.dumps(operation_id).decode() + ',"payload":'
            try:
                while (message := await follower.queue.get()) is not None:
                    if message.kind == "error":
                        errors = orjson.loads(message.payload)
                        await self.send_message(ErrorMessage(type="error", id=operation_id,
                                                             payload=errors[0]))
                        return
                    await _send_text(self.websocket, prefix + message.payload + "}")
                await self.send_message(CompleteMessage(type="complete", id=operation_id))
            except asyncio.CancelledError:  # stopped by the client, as the base class does
                await self.send_message(CompleteMessage(type="complete", id=operation_id))
            except WebSocketDisconnected:
                pass
            finally:
                self.tasks.pop(operation_id, None)


async def _send_text(websocket: Any, text: str) -> None:
    if isinstance(websocket, ClosableWebSocketAdapter):
        await websocket.send_text(text)
    else:  # pragma: no cover - the router always uses the closable adapter
        await websocket.send_json(orjson.loads(text))
