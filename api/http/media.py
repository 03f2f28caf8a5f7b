"""GraphQL over HTTP: which media type a client accepts, and the status a refused request gets."""

from __future__ import annotations

import json
from collections.abc import Sequence

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from strawberry.types import ExecutionResult

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"
_STATUS = {"EXECUTION_TIMEOUT": 504, "INTERNAL_SERVER_ERROR": 500}
MAX_JSON_DEPTH = 32  # arrays and objects in a request body or its variables


def _quality(params: Sequence[str]) -> float:
    """A media range's q-value; one that is not a number from 0 to 1 makes the range unwanted."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return 0.0
            return quality if 0.0 <= quality <= 1.0 else 0.0
    return 1.0


def best_of(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header ranks highest (its q-values, then its order);
    None when it names none of them with a q above 0 (wildcards do not count)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = _quality(params)
        if media.lower() in offered and quality > 0:
            ranked.append((-quality, index, media.lower()))
    return min(ranked)[2] if ranked else None


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header, by the client's q-values (absent or
    wildcards: application/json, as the spec asks for legacy clients)."""
    return best_of(accept, (GRAPHQL_RESPONSE, JSON)) or JSON


def prefers_html(accept: str | None) -> bool:
    """A browser: it names HTML and ranks it above the GraphQL response types."""
    return best_of(accept, (HTML, GRAPHQL_RESPONSE, JSON)) == HTML


class BadJson(json.JSONDecodeError):
    """Valid JSON that no request may send; `msg` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, "", 0)


def nesting_exceeds(value: object, limit: int) -> bool:
    """Does `value` hold arrays or objects more than `limit` levels deep? (Iterative: deep
    values are what would overflow a recursive walk.)"""
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list):
            if depth >= limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            pending.extend((child, depth + 1) for child in children)
    return False


def wants_graphql_response(accept: str | None) -> bool:
    return negotiate(accept) == GRAPHQL_RESPONSE


def never_executed(result: ExecutionResult) -> bool:
    """Refused before execution (parse, validation, variables, limits): errors have no path."""
    return result.data is None and bool(result.errors) and all(
        e.path is None for e in result.errors or [])


def status_for(errors: Sequence[GraphQLError]) -> int:
    codes = {(e.extensions or {}).get("code") for e in errors}
    return max((_STATUS.get(str(c), 400) for c in codes), default=400)


def finish(request: Request, response: Response) -> Response:
    """Label a JSON answer with the negotiated media type and the status decided for it."""
    if isinstance(response, StreamingResponse):
        return response
    response.headers.append("Vary", "Accept")
    content_type = response.headers.get("content-type", "")
    if content_type.startswith(JSON) and wants_graphql_response(request.headers.get("accept")):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        status = getattr(request.state, "graphql_status", None)
        if status is not None:
            response.status_code = status
    return response
