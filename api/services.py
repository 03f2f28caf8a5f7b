"""The gateway's long-lived services, built once per process in the app's lifespan, and the
context a request runs with: the resolvers' context plus what the gateway itself needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from redis.asyncio import Redis

from areagraph.api.observability.metrics import Metrics
from areagraph.api.protection.persisted_queries import PersistedQueries
from areagraph.api.protection.rate_limit import RateLimiter
from areagraph.api.protection.response_cache import ResponseCache
from areagraph.api.realtime.services import Realtime
from areagraph.api.realtime.shared_streams import SharedStreams
from areagraph.api.realtime.websocket_session import SocketSession
from areagraph.api.sources.replay_guard import ReplayGuard
from areagraph.auth.authenticate import Authenticator, authenticate
from areagraph.auth.principal import Principal
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.core.settings import Settings
from areagraph.resolvers.context import Context, ResolverSettings


def resolver_settings(settings: Settings) -> ResolverSettings:
    return ResolverSettings(
        max_page_size=settings.max_page_size,
        api_key_default_days=settings.api_key_default_days,
        complaint_system=settings.complaint_system, ws_queue_size=settings.ws_queue_size,
        replay_limit=settings.replay_limit)


@dataclass
class Services:
    """Built once per process in the app's lifespan and shared by all requests."""

    settings: Settings
    database: Database
    redis: Redis | None = None  # the process's one client (None: everything in-process)
    authenticator: Authenticator | None = None
    realtime: Realtime | None = None  # subscriptions' broker, outbox relay, webhooks
    persisted_queries: PersistedQueries | None = None
    rate_limiter: RateLimiter | None = None
    metrics: Metrics | None = None
    response_cache: ResponseCache | None = None  # answers of shareable queries, per scope
    sources: SourceRegistry = field(default_factory=SourceRegistry.empty)  # connectors
    for_resolvers: ResolverSettings = field(init=False)  # read once from `settings`

    def __post_init__(self) -> None:
        self.for_resolvers = resolver_settings(self.settings)

    @property
    def replays(self) -> ReplayGuard | None:
        """Webhook deliveries seen lately (None without real-time services)."""
        return self.realtime.replays if self.realtime is not None else None

    async def authenticate(self, headers: Mapping[str, str]) -> Principal | None:
        """The caller of a request, by the process's authenticator."""
        return await authenticate(headers, self.authenticator)


class GatewayContext(Context):
    """One request's context as the gateway runs it: the services beside the resolvers' view."""

    socket: SocketSession | None

    def __init__(self, services: Services, principal: Principal | None) -> None:
        realtime = services.realtime
        super().__init__(principal, services.database, sources=services.sources,
                         settings=services.for_resolvers,
                         events=realtime.broker.hub if realtime is not None else None)
        self.services = services

    @property
    def shared_streams(self) -> SharedStreams | None:
        """The process's shared subscription streams (None without real-time services)."""
        return self.services.realtime.shared if self.services.realtime is not None else None

    def detached(self) -> GatewayContext:
        return GatewayContext(self.services, self.principal)
