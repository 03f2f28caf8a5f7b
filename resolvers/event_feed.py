"""What a subscription resolver needs from the live event feed: a bounded queue per subscription
(`Subscription`) and a hub to add it to and remove it from (`EventHub`, the broker's hub)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from areagraph.connectors.local.outbox import Event


class Subscription:
    """One subscription's bounded queue of the events it accepts."""

    __slots__ = ("accepts", "kinds", "on_overflow", "overflowed", "queue")

    def __init__(self, kinds: frozenset[str], accepts: Callable[[Event], bool], size: int,
                 on_overflow: Callable[[], None]) -> None:
        self.kinds = kinds
        self.accepts = accepts
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=size)
        self.on_overflow = on_overflow
        self.overflowed = False

    def offer(self, event: Event) -> None:
        if self.overflowed or not self.accepts(event):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # Dropping silently would be a lost event; the owner closes the socket instead.
            self.overflowed = True
            self.on_overflow()


class EventHub(Protocol):
    """This process's subscriptions: events delivered to the hub are offered to them."""

    def add(self, subscription: Subscription) -> None: ...

    def remove(self, subscription: Subscription) -> None: ...


class SlowSocket(Protocol):
    """The websocket a subscription runs on, closed when it does not read its events."""

    def too_slow(self, queue_size: int) -> None: ...
