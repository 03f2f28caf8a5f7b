"""The common base of connectors that talk to a source system over HTTP."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import TypeAdapter

from areagraph.connectors.base import (
    EventRequest,
    Fetched,
    IndicatorValue,
    Provides,
    SourceEvent,
    ValueRequest,
)
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.http import SourceHttp
from areagraph.connectors.local.catalogue import indicators

_HEALTH: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])


def catalogue_codes(source: str) -> frozenset[str]:
    """The catalogue's indicators whose figures come from `source`."""
    return frozenset(i.code for i in indicators() if i.source == source)


class HttpConnector:
    """Name, agency, what it provides, and a pooled client; subclasses add the fetches."""

    default_agency: ClassVar[str]
    event_kinds: ClassVar[frozenset[str]] = frozenset()
    health_path: ClassVar[str] = "/health"

    def __init__(self, config: SourceConfig) -> None:
        self.name = config.name
        self.config = config
        self.agency = config.agency or self.default_agency
        default = catalogue_codes(config.kind) | self.event_kinds
        offered = default if config.provides is None else frozenset(config.provides) & default
        self.provides = Provides(indicators=offered - self.event_kinds,
                                 event_kinds=offered & self.event_kinds)
        self.http = SourceHttp(config)

    def asked(self, request: ValueRequest) -> tuple[frozenset[str], list[str]]:
        """The requested indicators this source provides, and the requested areas below the
        country (no source answers for Thailand as a whole); nothing to ask when either is
        empty."""
        return (frozenset(request.indicator_codes) & self.provides.indicators,
                [c for c in request.area_codes if c != "TH"])

    def option(self, key: str, default: int) -> int:
        return int(self.config.options.get(key, default))

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        return Fetched()

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]:
        return Fetched()

    async def check(self) -> None:
        await self.http.get(self.health_path, answer=_HEALTH)

    async def aclose(self) -> None:
        await self.http.aclose()
