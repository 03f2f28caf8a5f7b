"""Polling syncs for sources without webhooks: once across replicas, new events only."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, cast

from redis.asyncio import Redis
from sqlalchemy import select

from api.settings import Settings
from api.source_polling import (
    MemorySeenEvents,
    PollingSync,
    RedisIntervalLock,
    poll_source_events,
)
from connectors.base import EventRequest, Fetched, Provides, SourceEvent
from connectors.local.clock import utcnow
from connectors.local.database import Database
from connectors.local.models import OutboxEvent
from tests.realtime.conftest import RedisServer


async def test_a_poll_runs_once_per_interval_across_replicas(redis_server: RedisServer) -> None:
    runs: list[str] = []

    def poll_as(replica: str) -> Any:
        async def poll() -> int:
            runs.append(replica)
            return 0

        return poll

    clients = [Redis.from_url(redis_server.url) for _ in range(3)]
    try:
        replicas = [PollingSync({"events:ddpm": poll_as(f"replica-{n}")},
                                RedisIntervalLock(client, "test:poll:lock:"), interval=30)
                    for n, client in enumerate(clients)]
        for _ in range(5):
            await asyncio.gather(*(r.run_due() for r in replicas))
    finally:
        for client in clients:
            await client.aclose()
    assert len(runs) == 1


class FakeDisasterSource:
    """Stands in for a source without webhooks: its declarations can be changed by the test."""

    name = "ddpm"
    provides = Provides(event_kinds=frozenset({"flood_declared"}))

    def __init__(self) -> None:
        self.declarations: dict[str, str] = {}
        self.connector = self

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]:
        fetched: Fetched[SourceEvent] = Fetched()
        for reference, status in self.declarations.items():
            fetched.add(SourceEvent(
                area_code="34", kind="flood_declared", reference=reference, title="Flood",
                area_codes=("340101",), started_on=date(2026, 9, 20), status=status,
                households_affected=40, source="ddpm", fetched_at=utcnow()))
        return fetched


async def _published(database: Database) -> list[tuple[str, str]]:
    async with database.session() as session:
        rows = (await session.execute(select(OutboxEvent))).scalars()
        return [(r.payload["reference"], r.payload["status"]) for r in rows
                if r.kind == "source_event"]


async def test_a_poll_publishes_only_what_is_new(settings: Settings) -> None:
    database = Database(settings)
    source = FakeDisasterSource()
    seen = MemorySeenEvents()
    try:
        source.declarations = {"D-1": "declared"}
        first = await poll_source_events(cast(Any, source), database, seen)
        source.declarations = {"D-1": "declared", "D-2": "declared"}
        second = await poll_source_events(cast(Any, source), database, seen)
        unchanged = await poll_source_events(cast(Any, source), database, seen)
        source.declarations = {"D-1": "ended", "D-2": "declared"}
        changed = await poll_source_events(cast(Any, source), database, seen)
        published = await _published(database)
    finally:
        await database.dispose()
    assert (first, second, unchanged, changed) == (0, 1, 0, 1)  # the first poll only records
    assert published == [("D-2", "declared"), ("D-1", "ended")]
