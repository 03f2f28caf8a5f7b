"""Event delivery to subscriptions: Redis pub/sub across replicas, or in-process.

Each process holds one `Hub` that fans events out to its subscriptions' bounded queues. With
Redis, the process keeps a single pub/sub connection whatever the number of sockets; after it
loses that connection it reads what it missed from the outbox, so a blip loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from areagraph.connectors.local import outbox
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.outbox import Event
from areagraph.resolvers.event_feed import Subscription

log = logging.getLogger(__name__)

_CATCH_UP_PAGE = 1_000
_EVENTS_PER_MESSAGE = 100  # one Redis message carries this many events


class BrokerUnavailable(Exception):
    """Events could not be published now; they stay in the outbox and are tried again."""


class Hub:
    """This process's subscriptions by event kind; drops an event it has already delivered."""

    def __init__(self, remember: int = 20_000) -> None:
        self._by_kind: dict[str, set[Subscription]] = {}
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._remember = remember
        self.high_water = 0

    def add(self, subscription: Subscription) -> None:
        for kind in subscription.kinds:
            self._by_kind.setdefault(kind, set()).add(subscription)

    def remove(self, subscription: Subscription) -> None:
        for kind in subscription.kinds:
            self._by_kind.get(kind, set()).discard(subscription)

    def deliver(self, events: Sequence[Event]) -> None:
        for event in events:
            if event.id in self._recent:
                continue
            self._recent[event.id] = None
            if len(self._recent) > self._remember:
                self._recent.popitem(last=False)
            self.high_water = max(self.high_water, event.id)
            for subscription in tuple(self._by_kind.get(event.kind, ())):
                subscription.offer(event)

    async def deliver_paced(self, events: Sequence[Event]) -> None:
        """Deliver one event at a time, letting subscribers drain in between: a burst larger
        than a queue must not look like a slow client."""
        for event in events:
            self.deliver([event])
            await asyncio.sleep(0)


class Broker(Protocol):
    hub: Hub

    async def start(self) -> None: ...

    async def publish(self, events: Sequence[Event]) -> None: ...

    async def aclose(self) -> None: ...


class InProcessBroker:
    """One process: publishing is handing the events to the hub."""

    def __init__(self) -> None:
        self.hub = Hub()

    async def start(self) -> None:
        return None

    async def publish(self, events: Sequence[Event]) -> None:
        await self.hub.deliver_paced(events)

    async def aclose(self) -> None:
        return None


class RedisBroker:
    """Publishes to a Redis channel; one listener per process feeds the hub."""

    def __init__(self, redis: Redis, database: Database, channel: str) -> None:
        """`redis`: the process's client (see api/clients.py), closed by its owner."""
        self.hub = Hub()
        self._redis = redis
        self._database = database
        self._channel = channel
        self._listener: asyncio.Task[None] | None = None
        self._reconnected = False
        self.connected = asyncio.Event()

    async def start(self) -> None:
        self.hub.high_water = await outbox.latest_event_id(self._database)
        self._listener = asyncio.create_task(self._listen(), name="areagraph-broker-listener")

    async def publish(self, events: Sequence[Event]) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for start in range(0, len(events), _EVENTS_PER_MESSAGE):
                    chunk = events[start:start + _EVENTS_PER_MESSAGE]
                    pipe.publish(self._channel, b"[" + b",".join(e.to_json() for e in chunk)
                                 + b"]")
                await pipe.execute()
        except (RedisError, OSError) as error:
            raise BrokerUnavailable(str(error)) from error

    async def _listen(self) -> None:
        delay = 0.1
        while True:
            pubsub = self._redis.pubsub()  # holds one connection of the pool while it lives
            connection = None
            try:
                await pubsub.subscribe(self._channel)
                # The client reconnects (and subscribes again) by itself; what was published
                # meanwhile must still be read from the outbox, so a reconnect counts as a loss.
                connection = pubsub.connection
                assert connection is not None
                self._reconnected = False
                connection.register_connect_callback(self._on_reconnect)
                await _confirmed(pubsub)
                await self._catch_up()
                self.connected.set()
                delay = 0.1
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True,
                                                       timeout=1.0)
                    if self._reconnected:
                        raise RedisConnectionError("the subscription's connection was lost")
                    if message is not None and message["type"] == "message":
                        await self.hub.deliver_paced(_decoded(message["data"]))
            except (RedisError, OSError, SQLAlchemyError, TimeoutError) as error:
                if self.connected.is_set():
                    log.warning("event broker lost Redis (%s); reconnecting", error)
                self.connected.clear()
            finally:
                if connection is not None:
                    connection.deregister_connect_callback(self._on_reconnect)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _on_reconnect(self, _connection: object) -> None:
        self._reconnected = True

    async def _catch_up(self) -> None:
        """Deliver, a page at a time, the events after the last this process saw (by event id,
        not by anyone's clock)."""
        after = self.hub.high_water
        while missed := await outbox.events_to_catch_up(self._database, after, _CATCH_UP_PAGE):
            await self.hub.deliver_paced(missed)
            after = missed[-1].id

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener


def _decoded(data: bytes | str) -> list[Event]:
    """A published message: a list of events (or one event, as older replicas publish)."""
    doc: Any = orjson.loads(data)
    return [Event.from_document(d) for d in doc] if isinstance(doc, list) else [
        Event.from_document(doc)]


async def _confirmed(pubsub: PubSub) -> None:
    """Wait for Redis to acknowledge the subscription, so catching up cannot leave a gap."""
    async with asyncio.timeout(5):
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message["type"] == "subscribe":
                return


def build_broker(redis: Redis | None, redis_prefix: str, database: Database) -> Broker:
    if redis is not None:
        return RedisBroker(redis, database, channel=f"{redis_prefix}events")
    return InProcessBroker()
