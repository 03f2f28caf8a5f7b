"""The FastAPI application factory: one app per `Settings`, services built in its lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, WebSocket, WebSocketException, status
from fastapi.responses import JSONResponse

from api.graphql_errors import ErrorCodes
from api.graphql_router import AreagraphRouter
from api.settings import Settings
from auth.authenticate import Authenticator, authenticate
from auth.errors import InvalidCredentials
from connectors.local.database import Database
from resolvers.audit import AuditPersonalReads
from resolvers.context import Context, Services
from schema import build_schema


async def _context(request: Request = None, websocket: WebSocket = None) -> Context:  # type: ignore[assignment]
    connection = request if request is not None else websocket
    services: Services = connection.app.state.services
    try:
        principal = await authenticate(connection.headers, services)
    except InvalidCredentials as error:
        if websocket is not None:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, error.message) from None
        raise
    return Context(services, principal=principal)


async def _unauthenticated(_request: Request, error: Exception) -> JSONResponse:
    """Bad credentials answer 401 before any GraphQL runs, in the GraphQL error shape."""
    message = error.message if isinstance(error, InvalidCredentials) else "invalid credentials"
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings)
        services = Services(settings=settings, database=database,
                            authenticator=Authenticator.from_settings(settings, database))
        app.state.services = services
        try:
            yield
        finally:
            if services.authenticator is not None:
                await services.authenticator.aclose()
            await services.database.dispose()

    app = FastAPI(title="areagraph", version="0.1.0", lifespan=lifespan)
    app.add_exception_handler(InvalidCredentials, _unauthenticated)
    schema = build_schema(extensions=[ErrorCodes, AuditPersonalReads])
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
