"""A long replay stops at the limit and says where to resume; resuming there loses nothing."""

from __future__ import annotations

from tests.api.realtime.conftest import Realtime, Subscriber
from tests.api.realtime.test_subscriptions import OBSERVATIONS, figure, observed

GATEWAY_ENV = {"AREAGRAPH_REPLAY_LIMIT": "2"}


async def test_a_replay_past_the_limit_ends_with_where_to_resume(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    await realtime.record(realtime.a, [figure("340101", "2025-09"), figure("340104", "2025-09"),
                                       figure("340105", "2025-09")])
    async with Subscriber(realtime.b.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": since}) as subscriber:
        first = [observed(await subscriber.next()) for _ in range(2)]
        error = await subscriber.failure()
    assert [e["areaCode"] for e in first] == ["340101", "340104"]
    assert f"subscribe again with since: {first[-1]['eventId']}" in str(error)
    async with Subscriber(realtime.a.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": first[-1]["eventId"]}) as subscriber:
        rest = observed(await subscriber.next())
    assert rest["areaCode"] == "340105"
