"""A listing field waits until the source calls it started have their requests on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from pydantic import TypeAdapter

from areagraph.connectors.config import SourceConfig
from areagraph.connectors.dispatch import Dispatch, SourceCall, send_slowest_first
from areagraph.connectors.http import SourceHttp
from areagraph.connectors.simulators.server import RunningSimulator

ANY: TypeAdapter[object] = TypeAdapter(object)


@pytest.fixture
def hanging_source() -> Iterator[RunningSimulator]:
    """A simulator that reads requests and does not answer until its fault is switched off."""
    simulator = RunningSimulator("damrongdhama").start()
    faults = f"{simulator.url}/_sim/faults"
    httpx.put(faults, json={"mode": "timeout"}).raise_for_status()
    try:
        yield simulator
    finally:
        httpx.put(faults, json={"mode": "none"}).raise_for_status()
        simulator.stop()


async def test_a_call_counts_as_sent_once_its_request_is_written(
        hanging_source: RunningSimulator) -> None:
    http = SourceHttp(SourceConfig(name="damrongdhama", kind="damrongdhama",
                                   base_url=hanging_source.url, timeout=60))

    async def call() -> object:
        with SourceCall():
            return await http.get("/health", answer=ANY)

    try:
        with Dispatch() as dispatch:
            pending = asyncio.ensure_future(call())
        # Were the request not reported as written, this would wait out its 60 s limit.
        await dispatch.sent(longest=60)
        assert dispatch.begun == 1 and dispatch.unsent == 0
        assert not pending.done()  # the source has not answered: it hangs
        pending.cancel()
    finally:
        await http.aclose()


async def test_a_call_that_never_sends_holds_the_list_only_briefly() -> None:
    with Dispatch() as dispatch:
        stuck = SourceCall().__enter__()  # begun and never sent
    await dispatch.sent(longest=0.01)
    assert dispatch.begun == 1 and dispatch.unsent == 1
    stuck.__exit__(None, None, None)
    assert dispatch.unsent == 0


async def test_calls_outside_a_dispatch_report_to_no_one() -> None:
    with SourceCall():
        pass
    with Dispatch() as dispatch:
        pass
    await dispatch.sent(longest=0.01)
    assert dispatch.begun == 0 and dispatch.unsent == 0


async def test_calls_are_sent_one_after_another_the_slowest_first() -> None:
    started: list[str] = []

    async def start(call: tuple[str, float | None]) -> str:
        started.append(call[0])
        return call[0].upper()

    calls = [("quick", 5.0), ("new", None), ("slow", 80.0), ("middling", 20.0)]
    sent = await send_slowest_first(calls, lambda call: call[1], start)
    assert [call[0] for call, _ in sent] == ["slow", "middling", "quick", "new"]
    assert [await answer for _, answer in sent] == ["SLOW", "MIDDLING", "QUICK", "NEW"]
    assert started == ["slow", "middling", "quick", "new"]


async def test_the_sending_is_one_call_to_a_listing_field() -> None:
    async def start(_call: int) -> int:
        await asyncio.sleep(0)
        return 0

    with Dispatch() as dispatch:
        pending = asyncio.ensure_future(send_slowest_first([1, 2, 3], lambda _c: None, start))
        await dispatch.sent(longest=1)
    assert dispatch.begun == 1 and dispatch.unsent == 0
    await pending
