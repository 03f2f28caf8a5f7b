"""What every resolver gets: this request's caller, loaders and store, and the few long-lived
things resolvers use (the source registry, the live event hub, plain settings values)."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from areagraph.auth.principal import Principal
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.resolvers.event_feed import EventHub, SlowSocket
from areagraph.resolvers.loaders import Loaders
from areagraph.resolvers.source_loaders import SourceLoaders


@dataclass(frozen=True)
class ResolverSettings:
    """The settings values resolvers read, taken from the settings once at start-up."""

    max_page_size: int = 1000
    api_key_default_days: int = 90
    complaint_system: str | None = None  # the complaints' system of record, by source name
    ws_queue_size: int = 256  # events a subscription may hold unsent
    replay_limit: int = 10_000  # most events one `since` replay sends


class Context(BaseContext):
    """One request's context: the authenticated caller, fresh loaders, the store."""

    def __init__(self, principal: Principal | None, db: Database, *,
                 sources: SourceRegistry | None = None,
                 settings: ResolverSettings | None = None,
                 events: EventHub | None = None) -> None:
        super().__init__()
        self.principal = principal
        self.db = db
        self.sources = sources if sources is not None else SourceRegistry.empty()
        self.settings = settings if settings is not None else ResolverSettings()
        self.events = events  # None: real-time events are not available here
        self._loaders: Loaders | None = None
        self.source_loaders = SourceLoaders(self.sources)
        self.socket: SlowSocket | None = None  # set on subscription websockets
        self.personal_reads: list[str] = []  # "ticket:field" read unmasked, audited at the end

    @property
    def loaders(self) -> Loaders:
        """This request's loaders, made on first use (a request answered from the response
        cache, or asking only for `__typename`, needs none)."""
        if self._loaders is None:
            self._loaders = Loaders(self.db)
        return self._loaders

    def detached(self) -> Context:
        """A context of its own for the same caller (a stream that outlives its socket)."""
        return Context(self.principal, self.db, sources=self.sources, settings=self.settings,
                       events=self.events)


Info = StrawberryInfo[Context, None]
