"""CORS for front ends on other origins: only the origins in `AREAGRAPH_CORS_ORIGINS`.

Starlette's middleware does the work; this subclass only makes sure an origin that is not
listed gets no CORS header at all (Starlette would still send `Allow-Credentials`) and a clear
JSON refusal for its preflight.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from areagraph.core.settings import Settings

_METHODS = ["GET", "POST", "OPTIONS"]
_HEADERS = ["Authorization", "Content-Type", "Accept", "X-API-Key", "X-Request-Id"]
_EXPOSED = ["X-Request-Id", "Retry-After"]


class ListedOriginsCORS(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        if not self.is_allowed_origin(request_headers["origin"]):
            return JSONResponse({"code": "FORBIDDEN",
                                 "message": "this origin may not call the API from a browser"},
                                status_code=403)
        return super().preflight_response(request_headers)

    async def simple_response(self, scope: Scope, receive: Receive, send: Send,
                              request_headers: Headers) -> None:
        if not self.is_allowed_origin(request_headers["origin"]):
            await self.app(scope, receive, send)
            return
        await super().simple_response(scope, receive, send, request_headers)


def install_cors(app: FastAPI, settings: Settings) -> None:
    """No listed origin, no middleware: browsers keep their same-origin rule."""
    if settings.cors_origins:
        app.add_middleware(ListedOriginsCORS, allow_origins=settings.cors_origins,
                           allow_credentials=True, allow_methods=_METHODS,
                           allow_headers=_HEADERS, expose_headers=_EXPOSED, max_age=600)
