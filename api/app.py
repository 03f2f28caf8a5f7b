"""The FastAPI application factory: one app per `Settings`, services built in its lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse

from api.graphql_errors import ErrorCodes
from api.graphql_router import AreagraphRouter
from api.settings import Settings
from connectors.local.database import Database
from resolvers.context import Context, Services
from schema import build_schema


async def _context(request: Request = None, websocket: WebSocket = None) -> Context:  # type: ignore[assignment]
    connection = request if request is not None else websocket
    services: Services = connection.app.state.services
    return Context(services, principal=None)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services(settings=settings, database=Database(settings))
        app.state.services = services
        try:
            yield
        finally:
            await services.database.dispose()

    app = FastAPI(title="areagraph", version="0.1.0", lifespan=lifespan)
    schema = build_schema(extensions=[ErrorCodes])
    app.include_router(
        AreagraphRouter(schema, context_getter=_context, graphql_ide="graphiql"),
        prefix="/graphql",
    )

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> JSONResponse:
        services: Services = request.app.state.services
        ready = await services.database.ping()
        return JSONResponse({"status": "ready" if ready else "unavailable",
                             "database": ready}, status_code=200 if ready else 503)

    return app
