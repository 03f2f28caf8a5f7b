"""POST /ingest/{source}: signed, recent and new deliveries only; refused ones publish nothing."""

from __future__ import annotations

import time
from typing import Any

from tests.api.realtime.conftest import Realtime, Subscriber

SOURCE_EVENTS = """subscription($since: ID) {
  sourceEvent(areaCode: "34", kinds: ["flood_declared"], since: $since) {
    eventId areaCode source kind reference title householdsAffected startedOn areaCodes
  }
}"""


def flood(reference: str, area: str = "3401") -> dict[str, Any]:
    return {"kind": "flood_declared", "reference": reference, "title": "น้ำท่วมฉับพลัน",
            "areaCode": area, "areaCodes": [f"{area}01"], "startedOn": "2026-09-20",
            "householdsAffected": 120}


async def test_refused_deliveries_publish_nothing(realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.a.ws_url, admin_token, SOURCE_EVENTS,
                          {"since": since}) as subscriber:
        bad_signature = await realtime.ingest(realtime.b, [flood("BAD-SIG")], secret="guess")
        too_old = await realtime.ingest(realtime.b, [flood("OLD")],
                                        timestamp=int(time.time()) - 3600)
        from_the_future = await realtime.ingest(realtime.b, [flood("FUTURE")],
                                                timestamp=int(time.time()) + 3600)
        unknown_source = await realtime.ingest(realtime.b, [flood("WHO")], source="nobody")
        accepted = await realtime.ingest(realtime.b, [flood("GOOD")])
        got = (await subscriber.next())["sourceEvent"]
    assert [r.status_code for r in (bad_signature, too_old, from_the_future)] == [401] * 3
    assert bad_signature.json() == {"code": "UNAUTHENTICATED", "message": "bad signature"}
    assert unknown_source.status_code == 404
    assert accepted.status_code == 202
    # The first event after the refused ones is the accepted one: they published nothing.
    assert got["reference"] == "GOOD"
    assert got["eventId"] == accepted.json()["eventIds"][0]
    assert int(realtime.latest_event_id()) == int(got["eventId"])
    assert (got["source"], got["kind"], got["householdsAffected"]) == ("ddpm", "flood_declared",
                                                                       120)
    assert (got["startedOn"], got["areaCodes"]) == ("2026-09-20", ["340101"])


async def test_a_replayed_delivery_is_refused_on_any_replica(realtime: Realtime) -> None:
    body_time = int(time.time())
    first = await realtime.ingest(realtime.a, [flood("ONCE")], timestamp=body_time)
    again_same_replica = await realtime.ingest(realtime.a, [flood("ONCE")], timestamp=body_time)
    again_other_replica = await realtime.ingest(realtime.b, [flood("ONCE")], timestamp=body_time)
    assert first.status_code == 202
    assert again_same_replica.status_code == again_other_replica.status_code == 409


async def test_a_malformed_body_is_refused(realtime: Realtime) -> None:
    before = realtime.latest_event_id()
    response = await realtime.ingest(realtime.a, [{"kind": "flood_declared"}])
    bad_area = await realtime.ingest(realtime.a, [flood("X", area="3X")])
    assert response.status_code == bad_area.status_code == 400
    assert realtime.latest_event_id() == before
