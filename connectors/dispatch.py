"""Knowing when the source calls started for a list are on their way.

A field that lists areas starts its areas' source calls early (resolvers/source_prefetch.py),
then hands the event loop back to the executor, which builds the whole list without yielding:
1,000 areas hold the loop for tens of milliseconds. Calls that had not yet written their
request by then would wait all that time before the sources even heard of them. So the listing
field waits, briefly, until every call it started has its request on the wire (or answered from
the cache, or failed). The loader's batch uses the same marks to send its calls one after
another, the slowest source first (`send_slowest_first`, used by resolvers/source_loaders.py).
Calls report through context variables, which follow the batch into the tasks it starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from contextvars import ContextVar
from typing import Any, TypeVar

Call = TypeVar("Call")
Answer = TypeVar("Answer")

_current: ContextVar[Dispatch | None] = ContextVar("areagraph_dispatch", default=None)
_on_sent: ContextVar[Callable[[], None] | None] = ContextVar("areagraph_on_sent", default=None)


class Dispatch:
    """The source calls started while it was current, and how many are not yet sent."""

    def __init__(self) -> None:
        self.begun = 0
        self._unsent = 0
        self._all_sent = asyncio.Event()
        self._all_sent.set()

    @property
    def unsent(self) -> int:
        return self._unsent

    def __enter__(self) -> Dispatch:
        self._token = _current.set(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        _current.reset(self._token)

    def _begin(self) -> Callable[[], None]:
        self.begun += 1
        self._unsent += 1
        self._all_sent.clear()
        finished = False

        def sent() -> None:
            nonlocal finished
            if not finished:
                finished = True
                self._unsent -= 1
                if self._unsent == 0:
                    self._all_sent.set()

        return sent

    async def sent(self, turns: int = 5, longest: float = 0.02) -> None:
        """Wait until the calls begun in the next few turns of the loop are all sent, for at
        most `longest` seconds (a source still connecting is not worth holding a list for)."""
        for _ in range(turns):
            if self.begun:
                break
            await asyncio.sleep(0)
        await asyncio.sleep(0)  # a call that has begun may be sent within this very turn
        with suppress(TimeoutError):
            async with asyncio.timeout(longest):
                await self._all_sent.wait()


class SourceCall:
    """Marks one source call, from its start to its request being sent (or its end)."""

    def __enter__(self) -> SourceCall:
        dispatch = _current.get()
        self._sent = dispatch._begin() if dispatch is not None else None
        self._token = _on_sent.set(self._sent)
        return self

    def __exit__(self, *_exc: object) -> None:
        _on_sent.reset(self._token)
        if self._sent is not None:
            self._sent()


async def send_slowest_first(calls: Sequence[Call], latency: Callable[[Call], float | None],
                             start: Callable[[Call], Awaitable[Answer]], longest: float = 0.003,
                             ) -> list[tuple[Call, asyncio.Future[Answer]]]:
    """Start these calls one after another, each once the one before it is sent (waited for at
    most `longest` seconds), the slowest last time (`latency`, ms) first; the calls in that
    order, with their pending answers.

    Preparing a call takes a moment of the loop; started together, calls would take turns and
    all leave late. Sent in turn, the slowest source hears first, and the answer waits least
    for it. To a listing field waiting for its calls (a `Dispatch`), the sending is one call.
    """
    ordered = sorted(calls, key=lambda call: -(latency(call) or 0.0))
    pending: list[tuple[Call, asyncio.Future[Answer]]] = []
    with SourceCall():
        for call in ordered:
            with Dispatch() as sending:
                pending.append((call, asyncio.ensure_future(start(call))))
            await sending.sent(longest=longest)
    return pending


def trace_extension() -> dict[str, Any]:
    """The httpx request extension that reports the request's body as sent, if anyone asks."""
    sent = _on_sent.get()
    if sent is None:
        return {}

    async def trace(event: str, _info: dict[str, Any]) -> None:
        if event.endswith("send_request_body.complete"):
            sent()

    return {"trace": trace}
