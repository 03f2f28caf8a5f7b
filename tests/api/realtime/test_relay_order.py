"""Events leave in id order whichever replica relays them, and catching up goes by event id.

Two relays (as two replicas have) race over thousands of outbox rows, each publishing to Redis
through its own connection; a third process's listener records what subscribers would receive.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import update
from sqlmodel import col

from areagraph.api.clients import redis_client
from areagraph.api.realtime.broker import RedisBroker
from areagraph.api.realtime.outbox_relay import OutboxRelay
from areagraph.connectors.local import outbox
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import OutboxEvent
from areagraph.connectors.local.outbox import Event, EventKind
from areagraph.core.clock import utcnow
from areagraph.core.settings import Settings
from areagraph.resolvers.event_feed import Subscription
from tests.api.realtime.conftest import WAIT, RedisServer


class Recorder:
    """A listening process's hub with one subscription that takes every source event."""

    def __init__(self, broker: RedisBroker) -> None:
        self.broker = broker
        self.subscription = Subscription(frozenset({EventKind.SOURCE_EVENT.value}),
                                         lambda _event: True, 1_000_000, lambda: None)
        broker.hub.add(self.subscription)
        self.ids: list[int] = []

    async def until(self, count: int) -> list[int]:
        async with asyncio.timeout(WAIT * 3):
            while len(self.ids) < count:
                self.ids.append((await self.subscription.queue.get()).id)
        return self.ids


@pytest.fixture
async def listening(database_url: str, redis_server: RedisServer
                    ) -> AsyncIterator[tuple[Settings, str, Recorder]]:
    settings = Settings(database_url=database_url, redis_url=redis_server.url)
    channel = f"test-order-{uuid.uuid4().hex}:events"
    database = Database(settings.async_database_url)
    redis = _redis(settings)
    broker = RedisBroker(redis, database, channel)
    recorder = Recorder(broker)
    await broker.start()
    await asyncio.wait_for(broker.connected.wait(), WAIT)
    try:
        yield settings, channel, recorder
    finally:
        await broker.aclose()
        await redis.aclose()
        await database.dispose()


def _redis(settings: Settings) -> Redis:
    """A process's Redis client, made as the app makes it."""
    redis = redis_client(settings)
    assert redis is not None
    return redis


async def _write(database: Database, transactions: int, per_transaction: int,
                 villages: int = 0) -> list[int]:
    ids: list[int] = []
    codes = [f"34{n:06d}" for n in range(villages)]
    for t in range(transactions):
        async with database.unit_of_work() as session:
            rows = [outbox.enqueue(session, EventKind.SOURCE_EVENT, "34",
                                   {"reference": f"ORDER-{t}-{n}", "title": "น้ำท่วม",
                                    "areaCodes": codes})
                    for n in range(per_transaction)]
            await session.flush()
            ids.extend(r.id for r in rows if r.id is not None)
    return ids


def _inversions(received: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in itertools.pairwise(received) if b <= a]


def _skipped_on_resume(received: list[int]) -> set[int]:
    """Events a client would never get if it disconnected after any event and resumed with
    `since` set to it: the ones with a smaller id that had not reached it yet."""
    skipped: set[int] = set()
    seen: set[int] = set()
    for last in received:
        seen.add(last)
        skipped |= {i for i in received if i < last and i not in seen}
    return skipped


async def test_two_relays_racing_publish_in_id_order(
        listening: tuple[Settings, str, Recorder], redis_server: RedisServer) -> None:
    settings, channel, recorder = listening
    writer = Database(settings.async_database_url)
    databases = [Database(settings.async_database_url), Database(settings.async_database_url)]
    clients = [_redis(settings) for _ in databases]  # two processes, a client each
    brokers = [RedisBroker(r, d, channel) for r, d in zip(clients, databases, strict=True)]
    relays = [OutboxRelay(d, b, interval=3600, batch_size=50)
              for d, b in zip(databases, brokers, strict=True)]
    try:
        # Declarations naming 2,000 villages each: a batch takes many socket writes to publish.
        written = await _write(writer, transactions=4, per_transaction=400, villages=2000)

        async def drain(relay: OutboxRelay) -> None:
            while await relay.relay_once():
                pass

        await asyncio.gather(*(drain(r) for r in relays))
        received = await recorder.until(len(written))
    finally:
        for relay in relays:
            await relay.aclose()
        for broker in brokers:
            await broker.aclose()
        for client in clients:
            await client.aclose()
        for database in (*databases, writer):
            await database.dispose()
    assert sorted(received) == written  # every event, once
    assert _inversions(received) == []
    assert _skipped_on_resume(received) == set()


async def test_catching_up_after_losing_redis_goes_by_event_id_a_page_at_a_time(
        listening: tuple[Settings, str, Recorder], redis_server: RedisServer) -> None:
    """Events published while the listener was cut off, stamped by a publisher whose clock is
    an hour behind, arrive once it is back: more than one page of them, in order."""
    settings, _channel, recorder = listening
    writer = Database(settings.async_database_url)
    try:
        redis_server.stop()
        await asyncio.wait_for(_lost(recorder.broker), WAIT)
        written = await _write(writer, transactions=3, per_transaction=900)
        async with writer.unit_of_work() as session:
            await session.execute(update(OutboxEvent).where(col(OutboxEvent.id).in_(written))
                                  .values(published_at=utcnow() - timedelta(hours=1)))
        redis_server.start()
        received = await recorder.until(len(written))
    finally:
        if redis_server.process is None:
            redis_server.start()
        await writer.dispose()
    assert received == written


async def test_a_dropped_subscription_connection_is_caught_up_from_the_outbox(
        listening: tuple[Settings, str, Recorder], redis_server: RedisServer) -> None:
    """Redis stays up but drops the listener's connection: the client reconnects by itself,
    and what was written meanwhile (never published here) is still read from the outbox."""
    settings, _channel, recorder = listening
    writer = Database(settings.async_database_url)
    admin = Redis.from_url(redis_server.url)
    try:
        written = await _write(writer, transactions=1, per_transaction=5)
        assert await admin.client_kill_filter(_type="pubsub") >= 1
        received = await recorder.until(len(written))
    finally:
        await admin.aclose()
        await writer.dispose()
    assert received == written


async def _lost(broker: RedisBroker) -> None:
    while broker.connected.is_set():  # noqa: ASYNC110 - the broker only signals "connected"
        await asyncio.sleep(0.05)


def test_a_published_message_carries_a_batch_and_older_single_events_still_decode() -> None:
    from areagraph.api.realtime.broker import _decoded

    event = Event(7, "source_event", "34", {"title": "ภัยแล้ง"}, utcnow())
    assert _decoded(event.to_json()) == [event]
    assert _decoded(b"[" + event.to_json() + b"," + event.to_json() + b"]") == [event, event]
