"""The connector protocol: what every source system looks like to the gateway.

A connector speaks for one agency's system. It fetches in batches (many areas, many indicators,
one period range per call) and answers rows in the unified model, keyed by today's DOPA codes,
with provenance. Rows it could not place on today's map are returned as `Unmapped`, never dropped
or guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class IndicatorValue(_Row):
    """One figure from a source, for one of the areas asked about."""

    area_code: str
    indicator_code: str
    period: str
    value: float
    source: str
    fetched_at: datetime
    stale: bool = False


class StatusChange(_Row):
    status: str
    at: datetime
    note: str | None = None


class SourceEvent(_Row):
    """Something that happened in an area: a disaster declaration, a complaint ticket."""

    area_code: str
    kind: str
    reference: str
    title: str
    area_codes: tuple[str, ...]
    started_on: date
    ended_on: date | None = None
    status: str | None = None
    households_affected: int | None = None
    agency_code: str | None = None  # the agency a record-like event (a complaint) is with
    history: tuple[StatusChange, ...] = ()
    source: str
    fetched_at: datetime
    stale: bool = False


class Unmapped(_Row):
    """A source row that could not be placed on today's map, and why."""

    source: str
    key: str
    reason: str


@dataclass(frozen=True)
class ValueRequest:
    """Indicator values for these areas and indicators, for periods overlapping [start, end]."""

    area_codes: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    start: date
    end: date

    def for_areas(self, area_codes: Sequence[str]) -> ValueRequest:
        return replace(self, area_codes=tuple(area_codes))


@dataclass(frozen=True)
class EventRequest:
    """Events of these kinds touching these areas (or places inside them) within [start, end]."""

    area_codes: tuple[str, ...]
    kinds: tuple[str, ...]
    start: date
    end: date

    def for_areas(self, area_codes: Sequence[str]) -> EventRequest:
        return replace(self, area_codes=tuple(area_codes))


Row = TypeVar("Row", IndicatorValue, SourceEvent)


@dataclass
class Fetched(Generic[Row]):
    """A connector's answer: rows by requested area code, and what could not be mapped."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.setdefault(row.area_code, []).append(row)


@dataclass(frozen=True)
class Provides:
    """What a connector can answer: indicator codes and event kinds."""

    indicators: frozenset[str] = frozenset()
    event_kinds: frozenset[str] = frozenset()


class Connector(Protocol):
    """One source system. Fetches are batched and must not depend on the number of areas."""

    name: str
    agency: str
    provides: Provides

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]: ...

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]: ...

    async def check(self) -> None:
        """Raise `SourceUnavailable` or `SourceBadResponse` when the system does not answer."""

    async def aclose(self) -> None: ...
