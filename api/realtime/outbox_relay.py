"""Publishes committed outbox events to the broker, then marks them published.

Runs in every replica, but one relay at a time claims and publishes (the others wait their
turn), so events leave in id order whichever replica relays them. It wakes right after a local
commit that enqueued events and otherwise every `interval` seconds (for writes other processes
made). When the broker is down the rows stay unpublished and are tried again with a growing
pause. On shutdown it publishes what is left, within a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError

from areagraph.api.realtime.broker import Broker, BrokerUnavailable
from areagraph.connectors.local import outbox
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.outbox import Event
from areagraph.core.clock import utcnow

log = logging.getLogger(__name__)

_MAX_PAUSE = 2.0


class OutboxRelay:
    def __init__(self, database: Database, broker: Broker, interval: float, *,
                 woken_by: Database | None = None, batch_size: int = 500) -> None:
        """Relays through `database`; wakes after commits on `woken_by` (default: the same)."""
        self._database = database
        self._broker = broker
        self._interval = interval
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop_listening = outbox.on_outbox_commit(woken_by or database, self._wake.set)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="areagraph-outbox-relay")

    async def relay_once(self) -> int:
        """Publish one batch; the number of events published."""
        async with self._database.unit_of_work() as session:
            await outbox.take_relay_turn(session)
            rows = await outbox.claim_unpublished(session, self._batch_size)
            if not rows:
                return 0
            await self._broker.publish([Event.from_row(r) for r in rows])
            await outbox.mark_published(session, [r.id for r in rows if r.id is not None],
                                        utcnow())
        return len(rows)

    async def _run(self) -> None:
        pause = 0.1
        failing = False
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval)
            self._wake.clear()
            try:
                while await self.relay_once() == self._batch_size:
                    pass
            except (BrokerUnavailable, SQLAlchemyError, OSError) as error:
                if not failing:
                    log.warning("outbox relay cannot publish (%s); events wait in the outbox",
                                error)
                failing = True
                await asyncio.sleep(pause)
                pause = min(pause * 2, _MAX_PAUSE)
                self._wake.set()  # try again without waiting a full interval
                continue
            if failing:
                log.info("outbox relay publishing again")
            failing, pause = False, 0.1

    async def flush(self, within: float) -> None:
        """Publish what is still unpublished, giving up after `within` seconds (what is left
        stays in the outbox for the other replicas or the next start)."""
        with contextlib.suppress(TimeoutError, BrokerUnavailable, SQLAlchemyError, OSError):
            async with asyncio.timeout(within):
                while await self.relay_once() == self._batch_size:
                    pass

    async def aclose(self, flush_within: float = 0.0) -> None:
        self._stop_listening()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if flush_within > 0:
            await self.flush(flush_within)
