"""A webhook's area codes take ASCII digits only, and its text must be storable."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from areagraph.api.sources.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from areagraph.core.settings import Settings
from tests.conftest import Gateway, serve
from tests.domain.helpers import count_rows

SECRET = "webhook-secret-for-tests"


@pytest.fixture
async def hooked(settings: Settings) -> AsyncIterator[Gateway]:
    async for gateway in serve(settings.model_copy(update={"webhook_secrets": {"ddpm": SECRET}})):
        yield gateway


async def _ingest(gateway: Gateway, event: dict[str, Any]) -> Any:
    body = json.dumps({"events": [{"kind": "flood", "reference": "F-1", **event}]}).encode()
    stamp = str(int(time.time()))
    return await gateway.client.post("/ingest/ddpm", content=body, headers={
        TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(SECRET, stamp, body),
        "Content-Type": "application/json"})


@pytest.mark.parametrize("event", [
    {"areaCode": "๓๔๐๑๐๑"}, {"areaCode": "34", "areaCodes": ["๓๔"]},
    {"areaCode": "34", "title": "น้ำท่วม\x00"}, {"areaCode": "34", "title": "x\ud800"},
    {"areaCode": "34", "householdsAffected": 10**40},
])
async def test_bad_webhook_fields_are_refused(hooked: Gateway, event: dict[str, Any]) -> None:
    response = await _ingest(hooked, event)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "BAD_USER_INPUT"
    assert await count_rows(hooked, "outbox_event") == 0


async def test_a_good_webhook_is_accepted(hooked: Gateway) -> None:
    response = await _ingest(hooked, {"areaCode": "340101", "title": "น้ำท่วม",
                                      "householdsAffected": 120})
    assert response.status_code == 202, response.text
    assert await count_rows(hooked, "outbox_event") == 1
