"""Polling syncs for sources without webhooks: once across replicas, new events only."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import select
from sqlmodel import col

from areagraph.api.sources.polling import (
    MemorySeenEvents,
    PollingSync,
    RedisIntervalLock,
    poll_source_events,
)
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import OutboxEvent
from areagraph.connectors.simulators.ddpm import be_date
from areagraph.connectors.simulators.server import RunningSimulator
from areagraph.connectors.simulators.sources_file import write_sources_file
from areagraph.core.clock import utcnow
from areagraph.core.settings import Settings
from tests.api.realtime.conftest import RedisServer
from tests.conftest import serve


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


def _declaration(number: str, declared: date, ended: date | None = None) -> dict[str, Any]:
    """A flood declaration in one subdistrict of Ubon Ratchathani, as DDPM writes it."""
    return {"declaration_no": number, "hazard": "FLOOD", "province": "34",
            "declared_on": be_date(declared), "ended_on": ended and be_date(ended),
            "area_codes": ["340101"], "affected_households": {"340101": 40}}


async def _published(database: Database) -> list[tuple[str, str]]:
    async with database.session() as session:
        rows = (await session.execute(select(OutboxEvent).order_by(col(OutboxEvent.id)))).scalars()
        return [(r.payload["reference"], r.payload["status"]) for r in rows
                if r.kind == "source_event"]


async def test_a_poll_publishes_only_what_is_new(settings: Settings, tmp_path: Path) -> None:
    """The DDPM connector polling its simulator over HTTP: the first poll only records what is
    there; later polls publish a new declaration, and a declaration that ended, once each."""
    simulator = RunningSimulator("ddpm").start()
    sources = write_sources_file(tmp_path / "sources.toml", {"ddpm": simulator.url},
                                 {"ddpm": {"timeout": 5.0, "cache_ttl": 300}})

    def announce(*declarations: dict[str, Any]) -> None:
        httpx.put(f"{simulator.url}/_sim/declarations",
                  json=list(declarations)).raise_for_status()

    today = utcnow().date()
    try:
        async for gateway in serve(settings.model_copy(update={"sources_file": sources})):
            source, database = gateway.services.sources.get("ddpm"), gateway.services.database
            poll = partial(poll_source_events, source, database, MemorySeenEvents())
            first = await poll()
            announce(_declaration("ปภ.34/2569/9001", today - timedelta(days=3)))
            second = await poll()
            unchanged = await poll()
            announce(_declaration("ปภ.34/2569/9001", today - timedelta(days=3), today),
                     _declaration("ปภ.34/2569/9002", today - timedelta(days=1)))
            changed = await poll()
            published = await _published(database)
        async with httpx.AsyncClient() as client:
            polls = len((await client.get(f"{simulator.url}/_sim/calls")).json())
    finally:
        simulator.stop()
    assert (first, second, unchanged, changed) == (0, 1, 0, 2)  # the first poll only records
    assert published == [("ปภ.34/2569/9001", "declared"), ("ปภ.34/2569/9001", "ended"),
                         ("ปภ.34/2569/9002", "declared")]
    assert polls == 4  # each poll asked DDPM itself, never a cached answer
