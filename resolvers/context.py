"""What every resolver gets: the long-lived services and this request's caller and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from areagraph.auth.authenticate import Authenticator
from areagraph.auth.principal import Principal
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.core.settings import Settings
from areagraph.resolvers.loaders import Loaders
from areagraph.resolvers.source_loaders import SourceLoaders

if TYPE_CHECKING:
    from areagraph.api.observability.metrics import Metrics
    from areagraph.api.protection.persisted_queries import PersistedQueries
    from areagraph.api.protection.rate_limit import RateLimiter
    from areagraph.api.protection.response_cache import ResponseCache
    from areagraph.api.realtime.services import Realtime
    from areagraph.api.realtime.websocket_session import SocketSession


@dataclass
class Services:
    """Built once per process in the app's lifespan and shared by all requests."""

    settings: Settings
    database: Database
    extras: dict[str, Any] = field(default_factory=dict)
    authenticator: Authenticator | None = None
    realtime: Realtime | None = None  # subscriptions' broker, outbox relay, webhooks
    # Gateway protection and observability (api/persisted_queries.py, rate_limit.py, metrics.py)
    persisted_queries: PersistedQueries | None = None
    rate_limiter: RateLimiter | None = None
    metrics: Metrics | None = None
    response_cache: ResponseCache | None = None  # answers of shareable queries, per scope
    sources: SourceRegistry = field(default_factory=SourceRegistry.empty)  # connectors


class Context(BaseContext):
    """One request's context: services, the authenticated caller, fresh loaders."""

    def __init__(self, services: Services, principal: Principal | None) -> None:
        super().__init__()
        self.services = services
        self.principal = principal
        self._loaders: Loaders | None = None
        self.source_loaders = SourceLoaders(services.sources)
        self.socket: SocketSession | None = None  # set on subscription websockets
        self.personal_reads: list[str] = []  # "ticket:field" read unmasked, audited at the end

    @property
    def loaders(self) -> Loaders:
        """This request's loaders, made on first use (a request answered from the response
        cache, or asking only for `__typename`, needs none)."""
        if self._loaders is None:
            self._loaders = Loaders(self.services.database)
        return self._loaders

    @property
    def db(self) -> Database:
        return self.services.database


Info = StrawberryInfo[Context, None]
