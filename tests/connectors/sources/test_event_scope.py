"""Area.events: complaint tickets from the Damrongdhama source are read as complaints are (a
department officer sees its own agency's), other events by the events policy."""

from __future__ import annotations

from typing import Any

from tests.conftest import Gateway

EVENTS = """{ area(code: "1001") { events(period: "FY2025") {
  kind reference history { status note } } } }"""


def _referred_to(event: dict[str, Any]) -> str | None:
    notes = [h["note"] for h in event["history"] if h["status"] == "referred"]
    return notes[-1].removeprefix("ส่งต่อ ") if notes else None


async def test_department_officers_see_their_own_agencys_tickets(gateway: Gateway) -> None:
    every = (await gateway.query(EVENTS))["data"]["area"]["events"]
    tickets = [e for e in every if e["kind"] == "COMPLAINT"]
    others = {e["reference"] for e in every if e["kind"] != "COMPLAINT"}
    assert others and len(tickets) > 20
    for agency in ("PWA", "DOL"):
        gateway.login("department_officer", agency=agency, subject=f"officer-{agency}")
        seen = (await gateway.query(EVENTS))["data"]["area"]["events"]
        own = {e["reference"] for e in tickets if _referred_to(e) == agency}
        assert own and len(own) < len(tickets)
        assert {e["reference"] for e in seen if e["kind"] == "COMPLAINT"} == own
        assert {e["reference"] for e in seen if e["kind"] != "COMPLAINT"} == others

    # Roles that read every complaint, or those of the area, see every ticket.
    for roles, areas in ((["executive"], []), (["auditor"], []), (["governor"], ["10"]),
                         (["district_chief"], ["1001"])):
        gateway.login(roles, areas, subject="reader")
        seen = (await gateway.query(EVENTS))["data"]["area"]["events"]
        assert len(seen) == len(every), roles


async def test_roles_without_events_are_refused(gateway: Gateway) -> None:
    for roles, areas in ((["partner"], []), (["complaint_officer"], ["10"]),
                         (["governor"], ["34"]), (["district_chief"], ["1002"])):
        gateway.login(roles, areas, topics=["poverty"], subject="refused")
        body = await gateway.query(EVENTS)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (roles, body)
        assert body["data"]["area"] is None or body["data"]["area"]["events"] is None
