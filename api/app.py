"""The FastAPI application factory: one app per `Settings`, services built in its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI, Request, WebSocket, WebSocketException, status
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from areagraph.api.clients import auth_config, open_database, redis_client, source_registry
from areagraph.api.graphql.errors import ErrorCodes
from areagraph.api.graphql.router import AreagraphRouter
from areagraph.api.http.cors import install_cors
from areagraph.api.observability.metrics import Metrics, OperationMetrics, metrics_router
from areagraph.api.observability.request_log import RequestContextMiddleware, configure_logging
from areagraph.api.observability.tracing import Tracing, tracing_extensions
from areagraph.api.pages.dashboard import mount_dashboard
from areagraph.api.pages.graphiql import mount_graphiql_assets
from areagraph.api.protection.response_cache import ResponseCache
from areagraph.api.protection.setup import Protection, schema_config, schema_extensions
from areagraph.api.realtime.services import Realtime
from areagraph.api.rest.docs_routes import docs_router
from areagraph.api.rest.errors import install_error_handlers
from areagraph.api.rest.open311 import open311_router
from areagraph.api.rest.routes import rest_router
from areagraph.api.rest.trail_export import trail_export_router
from areagraph.api.services import GatewayContext, Services
from areagraph.api.sources import webhooks
from areagraph.auth.authenticate import Authenticator
from areagraph.auth.errors import InvalidCredentials
from areagraph.core.settings import Settings
from areagraph.resolvers.audit import AuditPersonalReads
from areagraph.schema import build_schema
from areagraph.schema.sources import SourceErrors


async def _context(request: Request = None, websocket: WebSocket = None) -> GatewayContext:  # type: ignore[assignment]
    connection = request if request is not None else websocket
    services: Services = connection.app.state.services
    try:
        principal = await services.authenticate(connection.headers)
    except InvalidCredentials as error:
        if websocket is not None:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, error.message) from None
        raise
    return GatewayContext(services, principal=principal)


async def _unauthenticated(_request: Request, error: Exception) -> JSONResponse:
    """Bad credentials answer 401 before any GraphQL runs, in the GraphQL error shape."""
    message = error.message if isinstance(error, InvalidCredentials) else "invalid credentials"
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


async def _release(services: Services, tracing: Tracing | None) -> None:
    """Publish what is left in the outbox, then close every client and pool."""
    if services.realtime is not None:
        await services.realtime.aclose(flush_within=services.settings.shutdown_timeout / 6)
    await services.sources.aclose()
    if tracing is not None:
        tracing.shutdown()
    if services.authenticator is not None:
        await services.authenticator.aclose()
    if services.redis is not None:
        await services.redis.aclose()
    await services.database.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings)
    metrics = Metrics() if settings.metrics_enabled else None
    tracing = Tracing.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = open_database(settings)
        redis = redis_client(settings)
        services = Services(settings=settings, database=database, redis=redis,
                            authenticator=Authenticator.from_config(auth_config(settings),
                                                                    database))
        protection = Protection.from_settings(settings, metrics, redis)
        services.persisted_queries = protection.persisted_queries
        services.rate_limiter = protection.rate_limiter
        services.metrics = metrics
        services.sources = source_registry(settings, database, redis)
        services.realtime = await Realtime.start(settings, database, services.sources, redis)
        if settings.response_cache_ttl > 0:
            services.response_cache = ResponseCache(settings.response_cache_ttl,
                                                    metrics=metrics)
            services.response_cache.watch(services.realtime.broker.hub)
        if metrics is not None:
            metrics.watch_sources(services.sources)
        app.state.services = services
        try:
            yield
        finally:
            # Bounded: an orchestrator kills a replica that takes too long to stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(settings.shutdown_timeout / 3):
                    await _release(services, tracing)

    app = FastAPI(title="areagraph", version="0.1.0", lifespan=lifespan,
                  max_body_size=settings.max_body_bytes, openapi_url=None, docs_url=None,
                  redoc_url=None)
    app.add_exception_handler(InvalidCredentials, _unauthenticated)
    schema = build_schema(extensions=[ErrorCodes, AuditPersonalReads, SourceErrors,
                                      OperationMetrics, *tracing_extensions(tracing),
                                      *schema_extensions(settings)],
                          config=schema_config(settings))
    app.include_router(
        AreagraphRouter(schema, context_getter=_context, graphql_ide="graphiql",
                        keep_alive=True, keep_alive_interval=settings.ws_keep_alive_seconds,
                        max_subscriptions_per_connection=settings.ws_max_subscriptions,
                        connection_init_wait_timeout=timedelta(seconds=10)),
        prefix="/graphql",
    )
    app.include_router(webhooks.build_router())

    mount_graphiql_assets(app, settings)
    mount_dashboard(app, settings)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    install_cors(app, settings)  # preflights are answered before anything else
    if settings.trusted_proxies:
        # Outermost, so the request log, rate limits and everything else see the client
        # the trusted proxy names; from any other peer X-Forwarded-For is ignored.
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=list(settings.trusted_proxies))
    app.include_router(metrics_router(_context, metrics))
    app.include_router(docs_router(_context))
    app.include_router(rest_router(schema, _context))
    app.include_router(open311_router(schema, _context))
    app.include_router(trail_export_router(_context))

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
