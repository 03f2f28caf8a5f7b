"""Errors outside GraphQL (REST facade, Open311, /metrics) answer JSON with the same codes;
Open311 paths answer in GeoReport v2's own error shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from areagraph.api.rest.open311 import PREFIX as OPEN311
from areagraph.core.errors import AppError, BadUserInput

log = logging.getLogger("areagraph.errors")


def _headers(error: AppError) -> dict[str, str]:
    headers = {}
    if "retryAfter" in error.extensions:
        headers["Retry-After"] = str(error.extensions["retryAfter"])
    if error.http_status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return headers


async def app_error_response(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, AppError)
    body: Any = {"code": error.code, "message": error.message, **error.extensions}
    if request.url.path.startswith(OPEN311):
        body = [{"code": error.http_status, "description": error.message}]
    return JSONResponse(body, status_code=error.http_status, headers=_headers(error))


async def invalid_request(request: Request, error: Exception) -> JSONResponse:
    """Bad parameters are 400 BAD_USER_INPUT, as in GraphQL."""
    assert isinstance(error, RequestValidationError)
    problems = [f"{'.'.join(map(str, e['loc'][1:])) or e['loc'][0]}: {e['msg']}"
                for e in error.errors()]
    return await app_error_response(request, BadUserInput("; ".join(problems)))


_HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE",
               415: "UNSUPPORTED_MEDIA_TYPE"}


async def http_error(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own refusals (no such route, wrong method…) in the same coded shape."""
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    message = (f"no such route: {request.method} {request.url.path}" if status == 404
               else str(error.detail))
    refused = AppError(message)
    refused.code = _HTTP_CODES.get(status, "BAD_REQUEST")
    refused.http_status = status
    response = await app_error_response(request, refused)
    response.headers.update(error.headers or {})
    return response


async def internal_error(request: Request, error: Exception) -> JSONResponse:
    """Never a stack trace, SQL or host name: the log has them, under the request id."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return await app_error_response(request, AppError("Internal server error."))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_response)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)
