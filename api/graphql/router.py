"""The GraphQL endpoint: Strawberry's router with areagraph's error codes on every response,
GraphQL over HTTP media types and status codes, persisted queries, rate limits and timeouts."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import orjson
from cross_web import HTTPException
from fastapi import Request, Response
from graphql import GraphQLError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from areagraph.api.graphql.errors import with_codes
from areagraph.api.graphql.gate import admit, timeout_error
from areagraph.api.graphql.socket_gate import (
    GatedGraphQLWSHandler,
    GatedTransportWSHandler,
    stop_watching,
    watch_credential,
)
from areagraph.api.http import media as http_media
from areagraph.api.protection.persisted_queries import PersistedQueryError
from areagraph.api.protection.rate_limit import RateLimited
from areagraph.api.protection.response_cache import wants_fresh, writes
from areagraph.api.realtime.websocket_session import (
    ClosableWebSocketAdapter,
    accept_connection,
    release_connection,
)
from areagraph.api.services import GatewayContext
from areagraph.core.errors import AppError


class RequestRefused(AppError):
    """Refused before any operation ran: answered with its own status and a coded error."""

    http_status = 400

    def __init__(self, message: str, code: str, status: int = 400, **extensions: Any) -> None:
        super().__init__(message, **extensions)
        self.code = code
        self.http_status = status


class AreagraphRouter(GraphQLRouter[Any, None]):
    websocket_adapter_class = ClosableWebSocketAdapter
    graphql_transport_ws_handler_class = GatedTransportWSHandler
    graphql_ws_handler_class = GatedGraphQLWSHandler

    def encode_json(self, data: object) -> str:
        """orjson, several times faster than the standard library on large answers; text, as
        websocket messages are sent as text frames."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # a value orjson does not know: the standard library's way
            return json.dumps(data, separators=(",", ":"))

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        result.errors = with_codes(result.errors)
        response = process_result(result)
        return self._as_negotiated(request, result, response)

    # --- GraphQL over HTTP: media type and status codes ---------------------------------------

    def _as_negotiated(self, request: Request, result: ExecutionResult,
                       response: GraphQLHTTPResponse) -> GraphQLHTTPResponse:
        """Under application/graphql-response+json a request that never executed has no
        `data` and answers 4xx (the spec); plain application/json keeps 200 for old clients."""
        if not http_media.wants_graphql_response(request.headers.get("accept")):
            return response
        if http_media.never_executed(result):
            response.pop("data", None)
            request.state.graphql_status = http_media.status_for(result.errors or [])
        return response

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if request.scope["type"] != "http":
            try:
                return await super().run(request, context=context, root_value=root_value)
            finally:
                stop_watching(context)
                release_connection(context)
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except (RequestRefused, RateLimited) as refused:
            response = _refusal(refused)
        except HTTPException as exc:  # a malformed request: coded JSON, never plain text
            response = _refusal(RequestRefused(exc.reason, "BAD_REQUEST", exc.status_code))
        return http_media.finish(request, response)

    def decode_json(self, data: str | bytes) -> object:
        """orjson, refusing what is not a JSON object (or a batch's array) or nests deeper
        than any operation's variables need, before anything walks it. The refusal is a
        JSONDecodeError: a websocket closes with 4400 as for any bad JSON."""
        value = orjson.loads(data)
        if not isinstance(value, dict | list):
            raise http_media.BadJson("the request must be a JSON object")
        if http_media.nesting_exceeds(value, http_media.MAX_JSON_DEPTH):
            raise http_media.BadJson(
                f"the request nests values deeper than {http_media.MAX_JSON_DEPTH} levels")
        return value

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return super().parse_json(data)
        except HTTPException as exc:
            if isinstance(exc.__cause__, http_media.BadJson):
                raise HTTPException(400, exc.__cause__.msg) from None
            raise

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Any,
                             context: Any, root_value: Any,
                             request_data: GraphQLRequestData) -> ExecutionResult:
        try:
            return await super().execute_single(request, request_adapter, sub_response, context,
                                                root_value, request_data)
        except HTTPException as exc:
            if request_adapter.method == "GET" and isinstance(exc.__cause__,
                                                              InvalidOperationTypeError):
                raise HTTPException(405, "only queries may be sent with GET; use POST") from exc
            raise

    # --- Protection: batches, rate limits, persisted queries, timeout -------------------------

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            body = await request.get_body()
            if body.lstrip()[:1] == b"[":
                self._check_batch(body)
        return await super().parse_http_body(request)

    def _check_batch(self, body: bytes) -> None:
        limit = self.schema.config.batching_config
        maximum = 0 if limit is None else limit["max_operations"]
        if maximum == 0:
            raise RequestRefused("batched requests are not accepted; send one operation",
                                 "BATCHING_DISABLED", limit=0)
        try:
            size = len(orjson.loads(body))
        except orjson.JSONDecodeError:
            return  # Strawberry answers the malformed body
        if size > maximum:
            raise RequestRefused(f"a batch may hold at most {maximum} operations, got {size}",
                                 "BATCH_TOO_LARGE", limit=maximum, actual=size)

    async def execute_operation(self, request: Any, request_adapter: Any, request_data: Any,
                                context: GatewayContext, root_value: Any, sub_response: Any) -> Any:
        batch = request_data if isinstance(request_data, list) else [request_data]
        single = request_data is not batch
        try:
            await admit(context, batch, request.client.host if request.client else None)
        except PersistedQueryError as exc:
            if not single:
                raise RequestRefused(exc.message, exc.code, **exc.extensions) from None
            return ExecutionResult(data=None, errors=[GraphQLError(
                exc.message, extensions={"code": exc.code, **exc.extensions})])
        seconds = context.services.settings.execution_timeout

        async def run() -> Any:
            try:
                async with asyncio.timeout(seconds):
                    return await super(AreagraphRouter, self).execute_operation(
                        request, request_adapter, request_data, context, root_value,
                        sub_response)
            except TimeoutError:
                result = ExecutionResult(data=None, errors=[timeout_error(seconds)])
                return result if single else [result] * len(batch)

        # Shareable queries come from the response cache (api/response_cache.py); a mutation
        # makes this process forget its answers at once.
        cache = context.services.response_cache
        key = None if cache is None or not single else cache.key(
            request_data.query, request_data.operation_name, request_data.variables,
            context.principal)
        if cache is None or key is None:
            try:
                return await run()
            finally:
                if cache is not None and any(writes(d.query, d.operation_name) for d in batch):
                    cache.invalidate()
        return await cache.answer(key, run, fresh=wants_fresh(request.headers.get("cache-control")),
                                  keep_for=lambda _result: _reusable_for(context))

    # --- Subscriptions: the credential comes in connection_init ------------------------------

    async def on_ws_connect(self, context: GatewayContext) -> None:
        await accept_connection(context, context.services.authenticate)
        watch_credential(context)

    # --- GraphiQL -----------------------------------------------------------------------------

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser opening an explorer link (`?query=…`, GraphiQL's own parameter) gets
        GraphiQL with it loaded; API clients asking the same URL get the operation's answer.
        A GET carrying only a persisted query's hash is an operation, not a browser."""
        if request.method == "GET" and http_media.prefers_html(request.headers.get("accept")):
            return True
        return (super().should_render_graphql_ide(request)
                and request.query_params.get("extensions") is None)

    @property
    def graphql_ide_html(self) -> str:
        from areagraph.api.pages.graphiql import graphiql_page

        return graphiql_page()


def _reusable_for(context: GatewayContext) -> float:
    """Seconds an answer may be reused: never when it read personal data (each read is
    audited), else no longer than the sources it consulted keep their own answers."""
    if context.personal_reads:
        return 0.0
    return context.source_loaders.shortest_cache_ttl()


def _refusal(refused: AppError) -> Response:
    extensions = {"code": refused.code, **refused.extensions}
    body = {"errors": [{"message": refused.message, "extensions": extensions}]}
    headers = {}
    if "retryAfter" in refused.extensions:
        headers["Retry-After"] = str(refused.extensions["retryAfter"])
    return Response(orjson.dumps(body), status_code=refused.http_status, headers=headers,
                    media_type="application/json")
