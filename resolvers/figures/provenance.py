"""Where a figure came from: its source system, revision, when it was recorded and fetched, and
whether it is stale (its source's last sync failed, so it may no longer be what the source
holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from aiodataloader import DataLoader

from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.connectors.local.figures.observations import ObservationRow
from areagraph.resolvers.figure_loaders import (
    FigureKey,
)


@dataclass(frozen=True)
class Provenance:
    source: str
    revision: int | None
    recorded_at: datetime | None
    fetched_at: datetime | None
    stale: bool


class ProvenanceLoaders(Protocol):
    """The request's loaders that provenance reads (see loaders.py)."""

    @property
    def current_observation(self) -> DataLoader[FigureKey, ObservationRow | None]: ...

    @property
    def sync_state(self) -> DataLoader[str, Any]: ...


async def provenance(loaders: ProvenanceLoaders, indicator: IndicatorRow, period: str,
                     area_code: str, own: bool) -> Provenance:
    """An area's own figure answers for its revision; a computed one only for its source."""
    row = (await loaders.current_observation.load((indicator["code"], period, area_code))
           if own else None)
    source = row["source"] if row is not None else indicator["source"]
    synced = await loaders.sync_state.load(source)
    recorded_at = None if row is None else row["recorded_at"]
    return Provenance(
        source=source, revision=None if row is None else row["revision"],
        recorded_at=recorded_at,
        fetched_at=synced["succeeded_at"] if synced is not None else recorded_at,
        stale=bool(synced is not None and synced["failed"]))
