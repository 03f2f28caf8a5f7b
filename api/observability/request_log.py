"""A request id on every request (taken from `X-Request-ID` or made), returned in a header and
written on every log line; one access log line and HTTP metrics per request; JSON logs."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from areagraph.core.settings import Settings

REQUEST_ID_HEADER = "x-request-id"
request_id: ContextVar[str | None] = ContextVar("areagraph_request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
access_log = logging.getLogger("areagraph.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {
        "message", "asctime", "color_message"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current := request_id.get()) is not None:
            entry["request_id"] = current
        entry.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(settings: Settings) -> None:
    root = logging.getLogger()
    if not root.handlers:  # leave logging alone where the host (a test runner) has set it up
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter() if settings.json_logs else logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # Strawberry logs every error of every request, clients' mistakes and refusals included;
    # internal failures are logged (with their traceback) by api.graphql_errors instead.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)
    # Database drivers log each statement with its bound values at DEBUG: complainants' names,
    # phones and ID numbers among them (PDPA). Keep them out whatever the gateway's level.
    for driver in ("aiosqlite", "asyncpg", "sqlalchemy.engine", "psycopg"):
        logging.getLogger(driver).setLevel(logging.WARNING)


class RequestContextMiddleware:
    """Pure ASGI, so streaming responses and websockets pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        current = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), current.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope, status)
            services = getattr(getattr(scope.get("app"), "state", None), "services", None)
            metrics = getattr(services, "metrics", None)
            if metrics is not None:
                metrics.observe_http(route, scope["method"], status, seconds)
            access_log.info("%s %s %s", scope["method"], scope["path"], status, extra={
                "route": route, "status": status, "duration_ms": round(seconds * 1000, 2)})
            request_id.reset(token)


def _route(scope: Scope, status: int) -> str:
    """The matched route's template (bounded label values), not the raw path."""
    template = getattr(scope.get("route"), "path", "")
    if template:
        return str(template)
    if status == 404:
        return "unmatched"
    # Routes mounted under a prefix (GraphQL, GraphiQL's files): their first segment.
    return "/" + str(scope["path"]).lstrip("/").split("/", 1)[0]
