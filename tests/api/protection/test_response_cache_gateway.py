"""The response cache through the gateway: repeated answers skip the database, writes are read
back at once, and the policy still decides for every caller."""

from __future__ import annotations

from tests.conftest import Gateway
from tests.domain.helpers import record, row

DROUGHT = """query($area: String!) { area(code: $area) { code
  observations(indicatorCode: "DROUGHT_AFFECTED_HH", from: "2026-03", to: "2026-03") {
    period value } } }"""


async def test_a_repeated_query_is_answered_without_the_database(gateway: Gateway) -> None:
    first = await gateway.query(DROUGHT, {"area": "34"})
    assert "errors" not in first
    gateway.statements.reset()
    assert await gateway.query(DROUGHT, {"area": "34"}) == first
    assert gateway.statements.count == 0
    fresh = await gateway.query(DROUGHT, {"area": "34"}, headers={"Cache-Control": "no-cache"})
    assert fresh == first and gateway.statements.count > 0


async def test_a_write_is_read_back_at_once(gateway: Gateway) -> None:
    before = await gateway.query(DROUGHT, {"area": "830101"})
    assert before["data"]["area"]["observations"] == []
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 5)])
    after = await gateway.query(DROUGHT, {"area": "830101"})
    assert [o["value"] for o in after["data"]["area"]["observations"]] == [5]


async def test_the_policy_still_decides_for_each_scope(gateway: Gateway) -> None:
    gateway.login("executive", subject="boss")
    allowed = await gateway.query(DROUGHT, {"area": "10"})
    assert "errors" not in allowed
    assert await gateway.query(DROUGHT, {"area": "10"}) == allowed  # now kept
    gateway.login("partner", areas=["34"], subject="partner")
    refused = await gateway.query(DROUGHT, {"area": "10"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gateway.logout()
    anonymous = await gateway.query(DROUGHT, {"area": "10"})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_answers_about_the_caller_are_never_shared(gateway: Gateway) -> None:
    gateway.login("executive", subject="first")
    first = await gateway.query("{ me { subject } }")
    gateway.login("executive", subject="second")
    second = await gateway.query("{ me { subject } }")
    assert first["data"]["me"]["subject"] == "first"
    assert second["data"]["me"]["subject"] == "second"
