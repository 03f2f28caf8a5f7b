"""The REST facade's live OpenAPI document and its Swagger UI, for signed-in callers only (as
everything but the health checks is); partners also have the checked-in openapi/areagraph.yaml."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from areagraph.auth.policy import require_principal
from areagraph.resolvers.context import Context

OPENAPI_URL = "/openapi.json"


def docs_router(context_getter: Callable[..., Awaitable[Context]]) -> APIRouter:
    async def signed_in(context: Context = Depends(context_getter)) -> None:
        require_principal(context.principal)

    router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])

    @router.get(OPENAPI_URL)
    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(request.app.openapi())

    @router.get("/docs")
    async def docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} API")

    return router
