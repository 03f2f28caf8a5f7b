"""A Redis outage between a write and its delivery loses nothing and duplicates nothing."""

from __future__ import annotations

import pytest

from tests.api.realtime.conftest import Realtime, Subscriber
from tests.api.realtime.test_subscriptions import OBSERVATIONS, figure, observed

# Everything on, as in production: the rate limiter falls back to local buckets during the
# outage, so the write is accepted.
GATEWAY_ENV: dict[str, str] = {}


async def test_an_event_written_while_redis_is_down_arrives_once_it_is_back(
        realtime: Realtime, admin_token: str) -> None:
    since = str(realtime.latest_event_id())
    async with Subscriber(realtime.b.ws_url, admin_token, OBSERVATIONS,
                          {"area": "34", "since": since}) as subscriber:
        await realtime.record(realtime.a, [figure("340101", "2025-07")])
        before = observed(await subscriber.next())
        realtime.redis.stop()
        try:
            # The write succeeds: its event waits in the outbox.
            await realtime.record(realtime.a, [figure("340104", "2025-07")])
            with pytest.raises(TimeoutError):
                await subscriber.next(within=1.0)
        finally:
            realtime.redis.start()
        during = observed(await subscriber.next(within=15.0))
        await realtime.record(realtime.a, [figure("340105", "2025-07")])
        after = observed(await subscriber.next())
    assert [e["areaCode"] for e in (before, during, after)] == ["340101", "340104", "340105"]
    ids = [int(e["eventId"]) for e in (before, during, after)]
    assert ids == sorted(set(ids))
    assert subscriber.received.empty()  # nothing delivered twice
