"""The configured source systems, built once per process from `sources.toml`.

Adding a source system is one connector module (exposing `build(config, deps)`) and one
`[sources.NAME]` table naming it as `kind`.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from purgatory import AsyncCircuitBreakerFactory
from redis.asyncio import Redis

from areagraph.connectors.base import Connector
from areagraph.connectors.cache import MemoryCache, SourceCache, build_cache
from areagraph.connectors.config import SourceConfig, load_sources
from areagraph.connectors.local.database import Database
from areagraph.connectors.resilient import ResilientSource

_MODULES = {"local": "areagraph.connectors.local.connector"}


@dataclass(frozen=True)
class ConnectorDeps:
    """What connectors may need from the gateway besides their own configuration."""

    database: Database | None = None


class _ConnectorModule(Protocol):
    def build(self, config: SourceConfig, deps: ConnectorDeps) -> Connector: ...


def build_connector(config: SourceConfig, deps: ConnectorDeps) -> Connector:
    module: _ConnectorModule = importlib.import_module(
        _MODULES.get(config.kind, f"areagraph.connectors.{config.kind}"))
    return module.build(config, deps)


class SourceRegistry:
    """Sources by name, and which of them provide an indicator or an event kind."""

    def __init__(self, sources: Sequence[ResilientSource], cache: SourceCache) -> None:
        self._sources = {s.name: s for s in sources}
        self._cache = cache

    @classmethod
    def empty(cls) -> SourceRegistry:
        return cls([], MemoryCache())

    @classmethod
    def from_configs(cls, configs: Sequence[SourceConfig], deps: ConnectorDeps,
                     redis: Redis | None = None,
                     cache_prefix: str = "areagraph:source:") -> SourceRegistry:
        """With `redis` (the process's client), answers are cached for every replica."""
        cache = build_cache(redis, cache_prefix)
        # A cancelled request says nothing about the source's health.
        breakers = AsyncCircuitBreakerFactory(exclude=[asyncio.CancelledError])
        return cls([ResilientSource(build_connector(c, deps), c, cache, breakers)
                    for c in configs], cache)

    @classmethod
    def from_file(cls, sources_file: Path | None, deps: ConnectorDeps,
                  redis: Redis | None = None,
                  cache_prefix: str = "areagraph:source:") -> SourceRegistry:
        """The sources listed in `sources_file` (None: the default list)."""
        return cls.from_configs(load_sources(sources_file), deps, redis, cache_prefix)

    def __iter__(self) -> Iterator[ResilientSource]:
        return iter(self._sources.values())

    def __len__(self) -> int:
        return len(self._sources)

    def get(self, name: str) -> ResilientSource | None:
        return self._sources.get(name)

    def providing_indicator(self, code: str) -> list[ResilientSource]:
        return [s for s in self if code in s.provides.indicators]

    def providing_event_kind(self, kind: str) -> list[ResilientSource]:
        return [s for s in self if kind in s.provides.event_kinds]

    @property
    def event_kinds(self) -> set[str]:
        return {kind for s in self for kind in s.provides.event_kinds}

    async def invalidate(self, source: str, area_codes: Sequence[str]) -> int:
        """Drop cached answers of `source` about these areas; how many were dropped."""
        return await self._cache.invalidate(source, area_codes)

    async def aclose(self) -> None:
        for source in self:
            await source.kept()
            await source.connector.aclose()
        await self._cache.aclose()
