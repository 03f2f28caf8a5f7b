"""Data from the departmental and state-enterprise source systems, and their health.

Fields backed by source systems answer partially when a source fails: the rest of the data
comes back and `errors` holds one entry for that source (`SOURCE_UNAVAILABLE` or
`SOURCE_BAD_RESPONSE`, with `extensions.source`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from areagraph.core.periods import parse_period
from areagraph.resolvers import sources as resolve
from areagraph.resolvers.context import Info
from areagraph.schema.execution import reports_on_the_rest


@strawberry.type(description="A figure from a source system, with where and when it came from.")
class SourceValue:
    area_code: str
    indicator_code: str
    period: str = strawberry.field(description="2026-03 (month) or FY2026 (fiscal year).")
    value: float
    source: str = strawberry.field(description="The source system (connector) name.")
    fetched_at: datetime = strawberry.field(description="When the gateway fetched it (UTC).")
    stale: bool = strawberry.field(
        description="True when the source failed and this is the last good answer.")

    @classmethod
    def from_row(cls, row: resolve.IndicatorValue) -> SourceValue:
        return cls(area_code=row.area_code, indicator_code=row.indicator_code,
                   period=row.period, value=row.value, source=row.source,
                   fetched_at=row.fetched_at, stale=row.stale)

    @strawberry.field(name="yearBE", description="The Buddhist Era year of the period.")
    def year_be(self) -> int:
        return parse_period(self.period).year_be


@strawberry.enum(description="Kinds of events the source systems report.")
class EventKind(Enum):
    FLOOD = "flood"
    DROUGHT = "drought"
    STORM = "storm"
    COMPLAINT = "complaint"


@strawberry.type
class EventStatusChange:
    status: str
    at: datetime
    note: str | None


@strawberry.type(description="A disaster declaration or complaint touching an area.")
class AreaEvent:
    kind: EventKind
    reference: str = strawberry.field(description="The source system's own number.")
    title: str
    area_codes: list[str] = strawberry.field(description="Every area the record names.")
    started_on: date
    ended_on: date | None
    status: str | None
    households_affected: int | None = strawberry.field(
        description="Households affected inside the area asked about.")
    history: list[EventStatusChange]
    source: str
    fetched_at: datetime
    stale: bool

    @classmethod
    def from_row(cls, row: resolve.SourceEvent) -> AreaEvent:
        return cls(kind=EventKind(row.kind), reference=row.reference, title=row.title,
                   area_codes=list(row.area_codes), started_on=row.started_on,
                   ended_on=row.ended_on, status=row.status,
                   households_affected=row.households_affected,
                   history=[EventStatusChange(status=h.status, at=h.at, note=h.note)
                            for h in row.history],
                   source=row.source, fetched_at=row.fetched_at, stale=row.stale)


@strawberry.enum
class SourceStatus(Enum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
    UNKNOWN = "unknown"


@strawberry.enum
class CircuitState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@strawberry.type(description="A source row the gateway could not place on today's map.")
class UnmappedRow:
    key: str
    reason: str


@strawberry.type(description="How the last sync of a source's figures into the store went.")
class SourceSync:
    attempted_at: datetime
    succeeded_at: datetime | None = strawberry.field(
        description="The last successful sync: how fresh the stored figures are.")
    failed: bool = strawberry.field(
        description="The last sync failed: the stored figures are the last good ones (stale).")
    error: str | None
    written: int = strawberry.field(description="Revisions the last successful sync wrote.")
    unchanged: int = strawberry.field(description="Figures it found unchanged.")
    rejected: list[UnmappedRow] = strawberry.field(
        description="Rows it kept out of the store, with the reason (row: indicator/area/"
                    "period or the source's own key).")

    @classmethod
    def from_row(cls, row: Any) -> SourceSync:
        return cls(attempted_at=row["attempted_at"], succeeded_at=row["succeeded_at"],
                   failed=row["failed"], error=row["error"], written=row["written"],
                   unchanged=row["unchanged"],
                   rejected=[UnmappedRow(key=r["row"], reason=r["reason"])
                             for r in row["rejected"]])


@strawberry.type(description="A configured source system and how it has answered lately.")
class SourceSystem:
    name: str
    kind: str
    agency: str
    indicator_codes: list[str]
    event_kinds: list[EventKind]
    circuit: CircuitState
    status: SourceStatus
    last_success_at: datetime | None
    latency_ms: float | None = strawberry.field(description="The last fetch's, retries included.")
    error_rate: float = strawberry.field(description="Share of the last 50 fetches that failed.")
    calls: int = strawberry.field(description="Fetches made since the gateway started.")
    last_error: str | None
    unmapped_rows: list[UnmappedRow] = strawberry.field(
        description="Rows of the last fetch that could not be mapped to today's areas, and "
                    "those the last sync kept out of the store.")
    sync: SourceSync | None = strawberry.field(
        description="The last sync of its figures into the store; null if never synced.")

    @classmethod
    def of(cls, state: resolve.SourceState) -> SourceSystem:
        circuit = CircuitState(state.circuit)
        health = state.health
        sync = None if state.synced is None else SourceSync.from_row(state.synced)
        failing = sync is not None and sync.failed
        return cls(
            name=state.name, kind=state.kind, agency=state.agency,
            indicator_codes=state.indicator_codes,
            event_kinds=[EventKind(k) for k in state.event_kinds],
            circuit=circuit,
            status=_status(circuit, health.last_ok, health.error_rate, failing),
            last_success_at=health.last_success_at, latency_ms=health.latency_ms,
            error_rate=health.error_rate, calls=health.calls,
            last_error=sync.error if sync is not None and failing else health.last_error,
            unmapped_rows=[*(UnmappedRow(key=u.key, reason=u.reason)
                             for u in health.last_unmapped),
                           *(sync.rejected if sync is not None else [])],
            sync=sync)


def _status(circuit: CircuitState, last_ok: bool | None, error_rate: float,
            sync_failing: bool) -> SourceStatus:
    if circuit is CircuitState.OPEN:
        return SourceStatus.DOWN
    if sync_failing:
        return SourceStatus.DEGRADED
    if last_ok is None:
        return SourceStatus.UNKNOWN
    return SourceStatus.UP if last_ok and error_rate == 0 else SourceStatus.DEGRADED


@strawberry.type
class SourceQuery:
    @strawberry.field(description="The configured source systems and their health.",
                      metadata=reports_on_the_rest())
    async def sources(self, info: Info) -> list[SourceSystem]:
        return [SourceSystem.of(state) for state in await resolve.sources(info)]


class SourceErrors(SchemaExtension):
    """Adds one error per failed source, at the first place in the response it left without
    data (`path`), and the rows sources sent that could not be mapped."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        loaders = getattr(self.execution_context.context, "source_loaders", None)
        if result is None or loaders is None or not loaders.report.errors:
            return
        report = loaders.report
        result.errors = [*(result.errors or []), *(
            GraphQLError(error.message, path=report.paths.get(name),
                         extensions={**error.extensions, "code": error.code, "source": name})
            for name, error in report.errors.items())]

    def get_results(self) -> dict[str, Any]:
        loaders = getattr(self.execution_context.context, "source_loaders", None)
        if loaders is None or not loaders.report.unmapped:
            return {}
        return {"unmappedRows": [u.model_dump() for u in loaders.report.unmapped]}
