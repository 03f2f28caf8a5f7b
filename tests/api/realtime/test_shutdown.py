"""A replica asked to stop (SIGTERM) does so within its shutdown timeout, even with a client that
has stopped reading, and tells its clients to go elsewhere (1001) so they resume with `since`."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from areagraph.core.settings import Settings
from tests.api.realtime.conftest import (
    TRANSPORT_WS,
    WEBHOOK_SECRET,
    GatewayProcess,
    Realtime,
    one_gateway,
)
from tests.api.realtime.test_connections import StalledClient, _closed, _init, stall
from tests.conftest import dev_token
from tests.databases import TemplateDatabases

SHUTDOWN_TIMEOUT = 6
QUIET = 'subscription { sourceEvent(areaCode: "10") { eventId reference } }'


@pytest.fixture
def gateway(templates: TemplateDatabases, dev_key_path: Path,
            tmp_path: Path) -> Iterator[tuple[GatewayProcess, Settings]]:
    with one_gateway(templates, dev_key_path, tmp_path / "gateway.log", {
            "AREAGRAPH_WEBHOOK_SECRETS": json.dumps({"ddpm": WEBHOOK_SECRET}),
            "AREAGRAPH_SHUTDOWN_TIMEOUT": str(SHUTDOWN_TIMEOUT),
            # Large enough that the stalled client is never closed as slow before the stop.
            "AREAGRAPH_WS_QUEUE_SIZE": "100000"}) as made:
        yield made


async def test_sigterm_closes_sockets_with_going_away_and_exits_in_time(
        gateway: tuple[GatewayProcess, Settings]) -> None:
    process, settings = gateway
    token = dev_token(settings, ["ministry_admin"], subject="admin")
    helper = Realtime(process, process, redis=None, settings=settings)  # type: ignore[arg-type]
    stalled = StalledClient(process.ws_url)
    try:
        async with connect(process.ws_url, subprotocols=[TRANSPORT_WS]) as reader:  # type: ignore[list-item]
            await _init(reader, {"Authorization": f"Bearer {token}"})
            assert json.loads(await reader.recv())["type"] == "connection_ack"
            await reader.send(json.dumps({"id": "1", "type": "subscribe",
                                          "payload": {"query": QUIET}}))
            await stall(stalled, helper, process, token, "STOP")
            assert process.process is not None
            process.process.send_signal(signal.SIGTERM)
            closed = await _closed(reader)
            try:
                code = await asyncio.to_thread(process.process.wait, SHUTDOWN_TIMEOUT + 10)
            except subprocess.TimeoutExpired:
                pytest.fail(f"still running {SHUTDOWN_TIMEOUT + 10} s after SIGTERM")
    finally:
        stalled.close()
    assert closed.rcvd is not None and closed.rcvd.code == 1001, closed
    assert code in (0, -signal.SIGTERM)  # uvicorn ends by re-raising the signal it caught
