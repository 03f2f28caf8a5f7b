"""A long-lived subscription retains nothing per event: thousands of events through one
subscription leave the executors' memos as small as after the first few."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from api.broker import InProcessBroker
from api.settings import Settings
from auth.principal import Principal, Role
from connectors.local.clock import utcnow
from connectors.local.database import Database
from connectors.local.outbox import Event
from resolvers.context import Context, Services
from schema import build_schema
from schema.execution import PlainListExecutionContext
from tests.realtime.conftest import WAIT

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


async def test_thousands_of_events_leave_the_executor_memos_bounded(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}")
    database = Database(settings)
    broker = InProcessBroker()
    services = Services(settings=settings, database=database)
    services.realtime = SimpleNamespace(broker=broker)  # type: ignore[assignment]
    admin = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))
    stream: Any = await build_schema().subscribe(QUERY, context_value=Context(services, admin))
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
        await database.dispose()
    assert [r.data["sourceEvent"]["eventId"] for r in results] == [
        str(n) for n in range(1, 3001)]
    assert all(r.errors is None for r in results)
    assert after_all <= after_ten + 2, (after_ten, after_all)
