"""Event ids are handed out in commit order, so resuming with `since` never skips an event."""

from __future__ import annotations

import asyncio

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.outbox import EventKind, enqueue, events_after
from areagraph.core.settings import Settings


async def test_a_later_writer_waits_for_the_earlier_events_commit(settings: Settings) -> None:
    database = Database(settings.async_database_url)
    try:
        second_id: list[int] = []

        async def second_writer() -> None:
            async with database.unit_of_work() as session:
                event = enqueue(session, EventKind.SOURCE_EVENT, "10", {"n": 2})
                await session.flush()
                assert event.id is not None
                second_id.append(event.id)

        async with database.unit_of_work() as session:
            first = enqueue(session, EventKind.SOURCE_EVENT, "34", {"n": 1})
            await session.flush()  # numbered, not yet committed
            second = asyncio.create_task(second_writer())
            done, _ = await asyncio.wait({second}, timeout=0.5)
            assert not done, "a second event was numbered while the first was uncommitted"
        await asyncio.wait_for(second, timeout=10)
        assert first.id is not None and second_id[0] > first.id
        seen = await events_after(database, first.id - 1, [EventKind.SOURCE_EVENT.value], 10)
        assert [e.payload["n"] for e in seen] == [1, 2]
    finally:
        await database.dispose()
