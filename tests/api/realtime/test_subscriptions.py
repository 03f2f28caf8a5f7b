"""Subscriptions across two gateway processes sharing PostgreSQL and Redis, with real clients."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import create_engine, insert

from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.models import Complaint, OutboxEvent
from tests.api.realtime.conftest import LEGACY_WS, Realtime, Subscriber

OBSERVATIONS = """
subscription($area: String!, $since: ID, $codes: [String!]) {
  observationRecorded(areaCode: $area, since: $since, indicatorCodes: $codes) {
    eventId areaCode indicatorCode period value
  }
}"""
COMPLAINTS = """
subscription($area: String!, $since: ID) {
  complaintUpdated(areaCode: $area, since: $since) {
    eventId areaCode ticketNo status previousStatus
    complainant { name phone citizenId masked }
  }
}"""
FLOOD = "FLOOD_WATER_LEVEL_M"
_values = itertools.count(1)


def value() -> float:
    """A value never recorded before, so every write is a new revision and an event."""
    return float(next(_values)) / 10


def figure(area: str, period: str = "2026-01") -> tuple[str, str, str, float]:
    return (FLOOD, area, period, value())


def observed(result: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = result["observationRecorded"]
    return event


async def test_a_mutation_on_one_replica_reaches_a_subscriber_on_the_other(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.b.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": since}) as subscriber:
        await realtime.record(realtime.a, [figure("340101")])
        first = observed(await subscriber.next())
        # The subscription is surely live now: this one can only travel A → Redis → B.
        await realtime.record(realtime.a, [figure("3401")])
        second = observed(await subscriber.next())
    assert (first["areaCode"], first["indicatorCode"]) == ("340101", FLOOD)
    assert second["areaCode"] == "3401"
    assert int(second["eventId"]) > int(first["eventId"])


async def test_the_legacy_graphql_ws_protocol_receives_events_too(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.a.ws_url, admin_token, OBSERVATIONS,
                          {"area": "3401", "since": since}, subprotocol=LEGACY_WS) as subscriber:
        await realtime.record(realtime.b, [figure("340101")])
        first = observed(await subscriber.next())
        await realtime.record(realtime.b, [figure("340104")])
        second = observed(await subscriber.next())
    assert [first["areaCode"], second["areaCode"]] == ["340101", "340104"]


async def test_a_subtree_subscription_ignores_other_areas_and_indicators(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.b.ws_url, admin_token, OBSERVATIONS,
                          {"area": "3401", "since": since, "codes": [FLOOD]}) as subscriber:
        await realtime.record(realtime.a, [figure("340201"), figure("100101"),
                                           ("DROUGHT_AFFECTED_HH", "340101", "2026-01", 7.0)])
        await realtime.record(realtime.a, [figure("340105")])
        got = observed(await subscriber.next())
    assert got["areaCode"] == "340105"


async def test_resume_with_since_replays_what_was_missed_in_order(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.a.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": since}) as subscriber:
        await realtime.record(realtime.a, [figure("340101", "2026-02")])
        last_seen = observed(await subscriber.next())["eventId"]
    # Away: three figures are recorded on the other replica.
    await realtime.record(realtime.b, [figure("340101", "2026-03"), figure("340104", "2026-03")])
    await realtime.record(realtime.b, [figure("340105", "2026-03")])
    async with Subscriber(realtime.b.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": last_seen}) as subscriber:
        missed = [observed(await subscriber.next()) for _ in range(3)]
        await realtime.record(realtime.a, [figure("340107", "2026-03")])
        live = observed(await subscriber.next())
    assert [m["areaCode"] for m in missed] == ["340101", "340104", "340105"]
    ids = [int(m["eventId"]) for m in [*missed, live]]
    assert ids == sorted(ids) and len(set(ids)) == 4 and ids[0] > int(last_seen)
    assert live["areaCode"] == "340107"


async def test_a_governor_never_hears_of_another_province(realtime: Realtime) -> None:
    since = str(realtime.latest_event_id())
    governor = realtime.token("governor", ["34"], subject="governor-34")
    async with Subscriber(realtime.b.ws_url, governor, OBSERVATIONS,
                          {"area": "TH", "since": since}) as subscriber:
        await realtime.record(realtime.a, [figure("100101")])  # Bangkok, first
        await realtime.record(realtime.a, [figure("340101")])
        got = observed(await subscriber.next())
    assert got["areaCode"] == "340101"


async def test_source_events_are_scoped_like_queries(realtime: Realtime) -> None:
    query = """subscription($since: ID) { sourceEvent(areaCode: "TH", since: $since) {
                 eventId areaCode source kind title } }"""
    since = str(realtime.latest_event_id())
    governor = realtime.token("governor", ["34"], subject="governor-34")
    async with Subscriber(realtime.a.ws_url, governor, query, {"since": since}) as subscriber:
        refused_ok = await realtime.ingest(realtime.b, [_flood("10", "BKK-1")])
        accepted = await realtime.ingest(realtime.b, [_flood("3401", "UBN-1")])
        got = (await subscriber.next())["sourceEvent"]
    assert refused_ok.status_code == accepted.status_code == 202
    assert (got["areaCode"], got["source"], got["kind"]) == ("3401", "ddpm", "flood_declared")


def _flood(area: str, reference: str) -> dict[str, Any]:
    return {"kind": "flood_declared", "reference": reference, "title": "Flood declared",
            "areaCode": area, "startedOn": "2026-09-20", "householdsAffected": 120}


def _complaint_event(realtime: Realtime, area: str) -> None:
    """A complaint and its change event, written as the complaint workflow does: the event
    carries the ticket, the complainant stays in the complaint."""
    now = datetime.now(UTC)
    payload = event_payloads.complaint_updated(
        ticket_no="1567-RT-1", status="assigned", previous_status="received",
        subject="น้ำประปาไม่ไหล", category_code="water", agency_code="PWA")
    engine = create_engine(realtime.settings.sync_database_url)
    with engine.begin() as conn:
        conn.execute(insert(Complaint).values(
            ticket_no="1567-RT-1", channel="web", category_code="water", area_code=area,
            subject="น้ำประปาไม่ไหล", status="assigned", received_at=now,
            due_at=now + timedelta(days=15), assigned_agency_code="PWA",
            complainant_name="สมชาย ใจดี", complainant_phone="0812345678",
            complainant_citizen_id="1234567890123", updated_at=now))
        conn.execute(insert(OutboxEvent).values(kind="complaint_updated", area_code=area,
                                                payload=payload))
    engine.dispose()


async def test_personal_data_stays_masked_in_events(realtime: Realtime,
                                                    admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    executive = realtime.token("executive", subject="exec-1")
    officer = realtime.token("complaint_officer", ["34"], subject="officer-34")
    async with (
        Subscriber(realtime.a.ws_url, executive, COMPLAINTS,
                   {"area": "34", "since": since}) as masked,
        Subscriber(realtime.b.ws_url, officer, COMPLAINTS,
                   {"area": "34", "since": since}) as in_scope,
        Subscriber(realtime.b.ws_url, admin_token, COMPLAINTS,
                   {"area": "TH", "since": since}) as admin,
    ):
        _complaint_event(realtime, "340101")
        seen_masked = (await masked.next())["complaintUpdated"]
        seen_in_scope = (await in_scope.next())["complaintUpdated"]
        seen_by_admin = (await admin.next())["complaintUpdated"]
    assert seen_masked["complainant"] == {"name": "ส**** ใ***", "phone": "*******678",
                                          "citizenId": "**********123", "masked": True}
    assert (seen_masked["status"], seen_masked["previousStatus"]) == ("ASSIGNED", "RECEIVED")
    full = {"name": "สมชาย ใจดี", "phone": "0812345678", "citizenId": "1234567890123",
            "masked": False}
    assert seen_in_scope["complainant"] == full
    assert seen_by_admin["complainant"] == full


async def test_a_role_without_the_capability_cannot_subscribe(realtime: Realtime) -> None:
    partner = realtime.token("partner", subject="partner-1")
    async with Subscriber(realtime.a.ws_url, partner, COMPLAINTS, {"area": "34"}) as subscriber:
        error = await subscriber.failure()
    assert "may not" in str(error)


LIVE_SOURCE_EVENTS = 'subscription { sourceEvent(areaCode: "TH") { eventId areaCode reference } }'


async def _until_live(realtime: Realtime, subscribers: list[Subscriber]) -> None:
    """Without `since` a subscription starts at some point: send probes until all hear one."""
    heard = [False] * len(subscribers)
    for n in range(30):
        await realtime.ingest(realtime.a, [_flood("34", f"PROBE-{n}")])
        for i, subscriber in enumerate(subscribers):
            while not subscriber.received.empty():
                subscriber.received.get_nowait()
                heard[i] = True
        if all(heard):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("the subscriptions never went live")


async def _next_real(subscriber: Subscriber) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = (await subscriber.next())["sourceEvent"]
        if not event["reference"].startswith("PROBE-"):
            return event


async def _executions(realtime: Realtime, token: str) -> int:
    """Subscription executions running in gateway B (its `areagraph_subscriptions_open`)."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{realtime.b.http_url}/metrics",
                                    headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    [line] = [x for x in response.text.splitlines()
              if x.startswith("areagraph_subscriptions_open ")]
    return int(float(line.split()[1]))


async def _until_executions(realtime: Realtime, token: str, count: int) -> None:
    """Wait until B runs `count` subscription executions (earlier tests' sockets close late)."""
    for _ in range(100):
        if await _executions(realtime, token) == count:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"gateway B never ran {count} subscription executions")


async def test_identical_live_subscriptions_share_a_stream_but_not_across_scopes(
        realtime: Realtime, admin_token: str) -> None:
    governor = realtime.token("governor", ["34"], subject="governor-34")
    await _until_executions(realtime, admin_token, 0)
    async with (
        Subscriber(realtime.b.ws_url, admin_token, LIVE_SOURCE_EVENTS) as admin_1,
        Subscriber(realtime.b.ws_url, admin_token, LIVE_SOURCE_EVENTS) as admin_2,
        Subscriber(realtime.b.ws_url, admin_token, LIVE_SOURCE_EVENTS) as admin_3,
        Subscriber(realtime.b.ws_url, governor, LIVE_SOURCE_EVENTS) as governor_34,
    ):
        await _until_live(realtime, [admin_1, admin_2, admin_3, governor_34])
        # four sockets, two audiences: one execution for the three admins, one for the governor
        executions = await _executions(realtime, admin_token)
        await realtime.ingest(realtime.a, [_flood("10", "BKK-LIVE")])
        await realtime.ingest(realtime.a, [_flood("3401", "UBN-LIVE")])
        seen = [[(await _next_real(admin))["reference"] for _ in range(2)]
                for admin in (admin_1, admin_2, admin_3)]
        seen_governor = (await _next_real(governor_34))["reference"]
    assert executions == 2
    assert seen == [["BKK-LIVE", "UBN-LIVE"]] * 3
    assert seen_governor == "UBN-LIVE"


async def _open_subscriptions(realtime: Realtime, token: str) -> float:
    """The gateway's gauge of running subscription executions (one per shared stream)."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{realtime.b.http_url}/metrics",
                                    headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return next(float(line.split()[-1]) for line in response.text.splitlines()
                if line.startswith("areagraph_subscriptions_open "))


async def test_identical_subscriptions_on_legacy_sockets_share_one_execution(
        realtime: Realtime, admin_token: str) -> None:
    query = 'subscription { sourceEvent(areaCode: "TH") { eventId reference title } }'
    before = await _open_subscriptions(realtime, admin_token)
    async with (
        Subscriber(realtime.b.ws_url, admin_token, query, subprotocol=LEGACY_WS) as first,
        Subscriber(realtime.b.ws_url, admin_token, query, subprotocol=LEGACY_WS) as second,
        Subscriber(realtime.b.ws_url, admin_token, query, subprotocol=LEGACY_WS) as third,
    ):
        await _until_live(realtime, [first, second, third])
        executions = await _open_subscriptions(realtime, admin_token) - before
        await realtime.ingest(realtime.a, [_flood("3401", "LEGACY-SHARED")])
        seen = [(await _next_real(s))["reference"] for s in (first, second, third)]
    assert executions == 1
    assert seen == ["LEGACY-SHARED"] * 3
