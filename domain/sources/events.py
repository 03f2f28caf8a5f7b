"""Events a source system reports (a disaster declared, a ticket moved), whether it calls our
webhook or we poll it: one flow publishes them to `sourceEvent` subscribers, through the outbox
in one transaction, as writes made by the mutations publish theirs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import OutboxEvent
from areagraph.connectors.local.outbox import EventKind, enqueue


class ReportedEvent(Protocol):
    """What a source says happened, in an area (DOPA code in its short form) and below."""

    @property
    def area_code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def area_codes(self) -> Sequence[str]: ...
    @property
    def started_on(self) -> date | None: ...
    @property
    def ended_on(self) -> date | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def households_affected(self) -> int | None: ...
    @property
    def agency_code(self) -> str | None: ...


async def record_source_events(db: Database, source: str,
                               events: Sequence[ReportedEvent]) -> list[OutboxEvent]:
    """Publish the events `source` reported; returns their outbox rows, ids assigned."""
    if not events:
        return []
    async with db.unit_of_work() as session:
        rows = [enqueue(session, EventKind.SOURCE_EVENT, e.area_code, event_payloads.source_event(
            source=source, kind=e.kind, reference=e.reference, title=e.title,
            area_codes=e.area_codes, started_on=e.started_on, ended_on=e.ended_on,
            status=e.status, households_affected=e.households_affected,
            agency_code=e.agency_code)) for e in events]
        await session.flush()
    return rows
