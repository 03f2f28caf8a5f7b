"""A source's webhook saying its figures changed syncs them at once: the changed figure is a
new revision, an alert rule on it fires, and subscribers get the event. On both databases."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from graphql import ExecutionResult
from sqlalchemy import text

from areagraph.api.services import GatewayContext
from areagraph.api.sources.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from areagraph.auth.principal import Principal, Role
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.periods import BE_OFFSET
from areagraph.core.settings import Settings
from areagraph.schema import build_schema
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.databases import BACKENDS

SECRET = "pwa-webhook-secret"
LOSS = "WATER_LOSS_PCT"
EVENTS = """subscription($since: ID) {
  observationRecorded(areaCode: "34", since: $since, indicatorCodes: ["WATER_LOSS_PCT"]) {
    areaCode indicatorCode period value revision source } }"""


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_secrets": {"pwa": SECRET}})


async def changed(gateway: Gateway, body: dict[str, Any], source: str = "pwa"
                  ) -> httpx.Response:
    raw = json.dumps(body).encode()
    sent = int(time.time())
    return await gateway.client.post(
        f"/ingest/{source}", content=raw,
        headers={"Content-Type": "application/json", TIMESTAMP_HEADER: str(sent),
                 SIGNATURE_HEADER: sign(SECRET, sent, raw)})


async def latest_event_id(gateway: Gateway) -> int:
    async with gateway.services.database.engine.connect() as conn:
        found = await conn.execute(text("SELECT max(id) FROM outbox_event"))
        return int(found.scalar_one() or 0)


async def first_event(gateway: Gateway, since: int) -> dict[str, Any]:
    schema = build_schema()
    context = GatewayContext(gateway.services,
                      Principal(subject="ops", roles=frozenset({Role.MINISTRY_ADMIN})))
    stream = await schema.subscribe(EVENTS, variable_values={"since": str(since)},
                                    context_value=context)
    assert not isinstance(stream, ExecutionResult)
    try:
        result = await anext(stream)
    finally:
        await stream.aclose()
    assert result.errors is None, result.errors
    assert result.data is not None
    event: dict[str, Any] = result.data["observationRecorded"]
    return event


async def test_a_webhook_syncs_the_change_and_an_alert_fires(gateway: Gateway,
                                                             sims: Simulators) -> None:
    rule = await gateway.query("""mutation { createAlertRule(name: "น้ำสูญเสียสูง",
        indicatorCode: "WATER_LOSS_PCT", comparator: GT, threshold: 50, areaCode: "34") {
        id } }""")
    assert "errors" not in rule, rule
    first = await changed(gateway, {"figures": {"areaCodes": ["3401"], "fiscalYears": 1}})
    assert first.status_code == 202, first.text
    assert first.json()["sync"]["ok"] and first.json()["sync"]["written"] > 0

    today = to_bangkok(utcnow()).date()
    month = f"{today.year:04d}-{today.month:02d}"
    sims.figures("pwa", {f"water_loss_pct|340101|{today.year + BE_OFFSET}-{today.month:02d}":
                         61.5})
    since = await latest_event_id(gateway)
    second = await changed(gateway, {"figures": {"areaCodes": ["340101"], "fiscalYears": 1}})
    assert second.status_code == 202, second.text
    assert second.json()["sync"]["written"] == 1

    alerts = await gateway.query("""{ alerts(areaCode: "34", status: ACTIVE) {
        edges { node { areaCode indicatorCode period value } } } }""")
    assert [e["node"] for e in alerts["data"]["alerts"]["edges"]] == [
        {"areaCode": "340101", "indicatorCode": LOSS, "period": month, "value": 61.5}]
    event = await first_event(gateway, since)
    assert event == {"areaCode": "340101", "indicatorCode": LOSS, "period": month,
                     "value": 61.5, "revision": 2, "source": "pwa"}


async def test_a_webhook_for_figures_is_checked_like_any_other(gateway: Gateway,
                                                               sims: Simulators) -> None:
    nothing = await changed(gateway, {})
    assert nothing.status_code == 400 and nothing.json()["code"] == "BAD_USER_INPUT"
    bad_area = await changed(gateway, {"figures": {"areaCodes": ["34x"]}})
    assert bad_area.status_code == 400 and bad_area.json()["code"] == "BAD_USER_INPUT"
    unsigned = await gateway.client.post("/ingest/pwa", json={"figures": {"areaCodes": ["34"]}})
    assert unsigned.status_code == 401
    assert await latest_event_id(gateway) == 0  # nothing was synced or published
