"""A listing field waits until the source calls it started have their requests on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from pydantic import TypeAdapter

from areagraph.connectors.config import SourceConfig
from areagraph.connectors.dispatch import Dispatch, SourceCall
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
