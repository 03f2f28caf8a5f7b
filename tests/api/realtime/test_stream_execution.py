"""Subscriptions executed in-process against a real broker hub: a long-lived one retains nothing
per event, and one whose socket stops reading stops costing at once."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from areagraph.api.realtime.broker import Hub, InProcessBroker
from areagraph.api.realtime.shared_streams import SharedStreams
from areagraph.api.services import GatewayContext, Services
from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.outbox import Event
from areagraph.core.clock import utcnow
from areagraph.core.settings import Settings
from areagraph.schema import build_schema
from areagraph.schema.plain_lists import PlainListExecutionContext
from tests.api.realtime.conftest import WAIT

QUERY = 'subscription { sourceEvent(areaCode: "34") { eventId title areaCodes } }'


def _memo_entries() -> int:
    """Entries in the memos of every live executor (graphql-core's and ours)."""
    gc.collect()
    return sum(len(o._relevant_sub_fields) + len(o._plans) + len(o._lists)
               for o in gc.get_objects() if isinstance(o, PlainListExecutionContext))


def _event(n: int) -> Event:
    return Event(n, "source_event", "34", {"kind": "flood_declared", "reference": f"MEM-{n}",
                                           "title": "น้ำท่วม", "areaCodes": ["34", "3401"]},
                 utcnow())


ADMIN = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    """A process's services with an in-process broker (no event is read from the database)."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", ws_queue_size=4)
    database = Database(settings.async_database_url)
    services = Services(settings=settings, database=database)
    services.realtime = SimpleNamespace(  # type: ignore[assignment]
        broker=InProcessBroker(), shared=SharedStreams(settings.ws_queue_size))
    yield services
    await database.dispose()


async def _until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT):
        while not check():  # noqa: ASYNC110 - the hub signals nothing
            await asyncio.sleep(0.01)


def _hub(services: Services) -> Hub:
    assert services.realtime is not None
    return services.realtime.broker.hub


async def test_thousands_of_events_leave_the_executor_memos_bounded(services: Services) -> None:
    broker = services.realtime.broker  # type: ignore[union-attr]
    context = GatewayContext(services, ADMIN)
    stream: Any = await build_schema().subscribe(QUERY, context_value=context)
    try:
        results = []
        for n in range(1, 3001):
            # The resolver joins the hub when the stream is first read: read, then deliver.
            reading = asyncio.ensure_future(stream.__anext__())
            while not reading.done() and not broker.hub._by_kind.get("source_event"):  # noqa: ASYNC110
                await asyncio.sleep(0)
            broker.hub.deliver([_event(n)])
            results.append(await asyncio.wait_for(reading, WAIT))
            if n == 10:
                after_ten = _memo_entries()
        after_all = _memo_entries()
    finally:
        await stream.aclose()
    assert [r.data["sourceEvent"]["eventId"] for r in results] == [
        str(n) for n in range(1, 3001)]
    assert all(r.errors is None for r in results)
    assert after_all <= after_ten + 2, (after_ten, after_all)


async def test_a_follower_that_stops_reading_leaves_its_stream_at_once(
        services: Services) -> None:
    """Its queue overflows: the socket is told to close and the stream, which only it followed,
    stops executing events (the resolver leaves the hub) without waiting for the close."""
    realtime: Any = services.realtime
    told: list[str] = []
    context = GatewayContext(services, ADMIN)
    key = realtime.shared.key(QUERY, None, None, ADMIN)
    follower = realtime.shared.join(key, build_schema(), context, QUERY, None, None,
                                    lambda: told.append("too slow"))
    await _until(lambda: bool(_hub(services)._by_kind.get("source_event")))
    for n in range(1, 20):  # never read: four fit in the queue
        await _hub(services).deliver_paced([_event(n)])
    await _until(lambda: not _hub(services)._by_kind.get("source_event"))
    assert told == ["too slow"]
    assert follower.overflowed and follower.queue.qsize() == 4
    assert realtime.shared.key(QUERY, None, None, ADMIN) not in realtime.shared._streams
