"""The gate (gate.py) on a websocket. Every operation started on a socket (`subscribe` in
graphql-transport-ws, `start` in graphql-ws) is admitted as an HTTP request is: its credential
as it stands now (a revoked, expired or changed one closes the socket with 4403), the size
limit, the rate limit, persisted queries and the allow-list; a query or mutation is stopped at
the execution timeout. A live subscription's credential is checked again every
`ws_credential_check_seconds`, so a revoked key's subscriptions end within that time."""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import Operation
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage as TransportErrorMessage,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.types import ErrorMessage, StartMessage

from areagraph.api.graphql.gate import (
    admit,
    current_principal,
    runs_to_completion,
    timeout_error,
)
from areagraph.api.protection.limits import size_error
from areagraph.api.protection.persisted_queries import PersistedQueryError
from areagraph.api.realtime.websocket_session import (
    PingingTransportWSHandler,
    RateLimitedGraphQLWSHandler,
)
from areagraph.api.services import GatewayContext
from areagraph.auth.errors import InvalidCredentials
from areagraph.core.errors import AppError

log = logging.getLogger(__name__)

FORBIDDEN = 4403


class _Closed:
    """The socket was closed instead of answering the operation."""


CLOSED = _Closed()


@dataclass
class _Sent:
    query: str | None
    extensions: dict[str, Any] | None


def _coded(message: str, code: str, **extensions: Any) -> GraphQLFormattedError:
    return GraphQLError(message, extensions={**extensions, "code": code}).formatted


async def _refuse_credential(context: GatewayContext, error: InvalidCredentials) -> _Closed:
    if context.socket is not None:
        await context.socket.close(FORBIDDEN, f"Forbidden: {error.message}")
    return CLOSED


async def gate_operation(context: Any, payload: Any
                         ) -> GraphQLFormattedError | _Closed | None:
    """None when the operation may run (its payload's `query` then holds the text to run);
    else the error to answer it with, or CLOSED."""
    if not isinstance(context, GatewayContext) or not isinstance(payload, dict):
        return None  # the protocol handler refuses a malformed message itself
    try:
        await current_principal(context)
    except InvalidCredentials as error:
        return await _refuse_credential(context, error)
    query, extensions = payload.get("query"), payload.get("extensions")
    if query is not None and not isinstance(query, str):
        return _coded("query must be a string", "BAD_REQUEST")
    if extensions is not None and not isinstance(extensions, dict):
        return _coded("extensions must be an object", "BAD_REQUEST")
    too_large = None if query is None else size_error(
        query, context.services.settings.max_query_bytes)
    if too_large is not None:
        return too_large.formatted
    sent = _Sent(query, extensions)
    client = getattr(context.request, "client", None)
    try:
        await admit(context, [sent], client.host if client else None)
    except AppError as refused:  # its extensions carry its code
        return GraphQLError(refused.message, extensions=refused.extensions).formatted
    except PersistedQueryError as refused:
        return _coded(refused.message, refused.code, **refused.extensions)
    payload["query"] = sent.query
    return None


class GatedTransportWSHandler(PingingTransportWSHandler):
    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and message.get("id") not in self.operations:
            refused = await gate_operation(self.context, message.get("payload"))
            if refused is CLOSED:
                return
            if isinstance(refused, dict):
                await self.send_message(TransportErrorMessage(
                    id=message["id"], type="error", payload=[refused]))
                return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        settings = self.context.services.settings
        if not runs_to_completion(operation.query, operation.operation_name,
                                  settings.max_query_tokens):
            await super().run_operation(operation)
            return
        seconds = settings.execution_timeout
        try:
            async with asyncio.timeout(seconds):
                await super().run_operation(operation)
        except TimeoutError:
            await operation.send_operation_message(TransportErrorMessage(
                id=operation.id, type="error", payload=[timeout_error(seconds).formatted]))


class GatedGraphQLWSHandler(RateLimitedGraphQLWSHandler):
    """The legacy protocol runs subscriptions only (they outlive any timeout)."""

    async def handle_start(self, message: StartMessage) -> None:
        if self.connection_acknowledged:
            refused = await gate_operation(self.context, message.get("payload"))
            if refused is CLOSED:
                return
            if isinstance(refused, dict):
                await self.send_message(ErrorMessage(type="error", id=message["id"],
                                                     payload=refused))
                return
        await super().handle_start(message)


_watches: weakref.WeakKeyDictionary[GatewayContext, asyncio.Task[None]] = (
    weakref.WeakKeyDictionary())


def watch_credential(context: GatewayContext) -> None:
    """Check the socket's credential every `ws_credential_check_seconds` while it is open."""
    interval = context.services.settings.ws_credential_check_seconds
    _watches[context] = asyncio.create_task(_watch(context, interval))


async def _watch(context: GatewayContext, interval: float) -> None:
    while context.socket is not None and not context.socket.closed:
        await asyncio.sleep(interval)
        try:
            await current_principal(context)
        except InvalidCredentials as error:
            await _refuse_credential(context, error)
            return
        except Exception:  # a database hiccup: keep the socket, try again next time
            log.warning("credential check failed on an open socket", exc_info=True)


def stop_watching(context: Any) -> None:
    task = _watches.pop(context, None) if isinstance(context, GatewayContext) else None
    if task is not None:
        task.cancel()
