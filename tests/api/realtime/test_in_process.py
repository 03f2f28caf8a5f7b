"""Without Redis the gateway delivers events in-process, the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from areagraph.core.settings import Settings
from tests.api.realtime.conftest import (
    WEBHOOK_SECRET,
    GatewayProcess,
    Realtime,
    Subscriber,
    one_gateway,
)
from tests.api.sources.test_webhooks import SOURCE_EVENTS, flood
from tests.conftest import dev_token
from tests.databases import BACKENDS, TemplateDatabases


@pytest.fixture(scope="module", params=BACKENDS)
def single(templates: TemplateDatabases, dev_key_path: Path,
           tmp_path_factory: pytest.TempPathFactory,
           request: pytest.FixtureRequest) -> Iterator[tuple[GatewayProcess, Settings]]:
    with one_gateway(templates, dev_key_path, tmp_path_factory.mktemp("single") / "gateway.log",
                     {"AREAGRAPH_WEBHOOK_SECRETS": json.dumps({"ddpm": WEBHOOK_SECRET})},
                     request.param) as made:
        yield made


async def test_events_are_delivered_without_redis(
        single: tuple[GatewayProcess, Settings]) -> None:
    gateway, settings = single
    helper = Realtime(gateway, gateway, redis=None, settings=settings)  # type: ignore[arg-type]
    token = dev_token(settings, ["ministry_admin"], subject="admin")
    since = str(helper.latest_event_id())
    async with Subscriber(gateway.ws_url, token, SOURCE_EVENTS, {"since": since}) as subscriber:
        await helper.ingest(gateway, [flood("LOCAL-1")])
        first = (await subscriber.next())["sourceEvent"]
        await helper.ingest(gateway, [flood("LOCAL-2")])
        second = (await subscriber.next())["sourceEvent"]
    assert [first["reference"], second["reference"]] == ["LOCAL-1", "LOCAL-2"]
