"""Damrongdhama is the complaints' system of record: a sync makes the local store hold what
the simulator holds (counts, statuses, histories) through `complaints`, `complaint`,
`complaintStatistics` and Open311; reconciliation reports and repairs drift; masking and the
policy hold for synced tickets."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlmodel import col

from areagraph.connectors.damrongdhama import DamrongdhamaConnector
from areagraph.connectors.local.catalogue import COMPLAINT_CATEGORIES
from areagraph.connectors.local.models import (
    AuditRecord,
    Complaint,
    ComplaintTransition,
    OutboxEvent,
)
from areagraph.connectors.simulators.geography import split_codes
from areagraph.core.settings import Settings
from areagraph.domain.complaints.records import (
    complaint_system,
    reconcile_complaints,
    sync_complaints,
)
from areagraph.domain.complaints.states import OPEN, REJECTED
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.databases import BACKENDS
from tests.domain.complaints.records.centre import move_at_centre, source_tickets


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"complaint_system": "damrongdhama"})


def system(gateway: Gateway) -> DamrongdhamaConnector:
    found = complaint_system(gateway.services.sources, "damrongdhama")
    assert found is not None
    return found


async def scalar(gateway: Gateway, statement: Any) -> Any:
    async with gateway.services.database.engine.connect() as conn:
        return (await conn.execute(statement)).scalar_one()


SLA_DAYS = {c.code: c.sla_days for c in COMPLAINT_CATEGORIES}
STATS = """query($a: String!) { complaintStatistics(areaCode: $a, fiscalYear: 2026) {
  counts { received open resolved rejected overdue } } }"""
HISTORY = """query($t: String!) { complaint(ticketNo: $t) { ticketNo status source
  area { code } assignedAgency { code } complainant { name phone citizenId masked }
  history { toStatus at } } }"""


async def test_after_a_sync_the_statistics_count_what_the_source_holds(
        gateway: Gateway, sims: Simulators) -> None:
    held = source_tickets(sims, "34")
    assert len(held) > 2_000  # about 2,600 tickets in Ubon Ratchathani in FY2026
    before = (await gateway.query(STATS, {"a": "34"}))["data"]["complaintStatistics"]
    assert before is not None
    assert before["counts"]["received"] == 0

    report = await sync_complaints(gateway.services.database, system(gateway), ["34"], 2026)

    assert report.fetched == len(held) and len(report.drift.missing_here) == len(held)
    summary = (await gateway.query(STATS, {"a": "34"}))["data"]["complaintStatistics"]["counts"]
    statuses = Counter(t["status"] for t in held)
    assert summary == {
        "received": len(held),
        "open": sum(n for s, n in statuses.items() if s in OPEN),
        "resolved": sum(1 for t in held if t["status"] in ("resolved", "closed")
                        and any(h["status"] == "resolved" for h in t["history"])),
        "rejected": statuses[REJECTED],
        # Service levels hold for synced tickets: due the category's days after receipt.
        "overdue": sum(1 for t in held if t["status"] in OPEN and datetime.fromisoformat(
            t["received_at"]) + timedelta(days=SLA_DAYS[t["category"]]) < datetime.now(UTC)),
    }
    # Tickets under abolished, split subdistricts are listed and kept on the nearest area
    # that still contains them, with the code they name.
    split = [t for t in held if t["area_code"] in split_codes("dd-old", "34")]
    assert split and {u.key for u in report.unmapped} == {t["ticket_no"] for t in split}
    async with gateway.services.database.engine.connect() as conn:
        placed = select(col(Complaint.area_code), col(Complaint.source_area_code)).where(
            col(Complaint.ticket_no) == split[0]["ticket_no"])
        stored = (await conn.execute(placed)).one()
    assert stored.source_area_code == split[0]["area_code"]
    assert stored.area_code in (split[0]["area_code"][:4], "34")


async def test_lists_details_and_open311_show_the_synced_tickets(
        gateway: Gateway, sims: Simulators) -> None:
    await sync_complaints(gateway.services.database, system(gateway), ["3401"], 2026)
    held = source_tickets(sims, "340101")
    listed = await gateway.query("""{ complaints(areaCode: "340101", fiscalYear: 2026,
        first: 200) { totalCount edges { node { ticketNo status } } } }""")
    connection = listed["data"]["complaints"]
    assert connection["totalCount"] == len(held)
    assert {(e["node"]["ticketNo"], e["node"]["status"].lower()) for e in connection["edges"]} \
        == {(t["ticket_no"], t["status"]) for t in held}
    ticket = max(held, key=lambda t: len(t["history"]))
    answer = await gateway.query(HISTORY, {"t": ticket["ticket_no"]})
    assert "errors" not in answer, answer
    node = answer["data"]["complaint"]
    assert [h["toStatus"].lower() for h in node["history"]] == [
        h["status"] for h in ticket["history"]]
    assert node["source"] == "damrongdhama" and node["area"] == {"code": "340101"}
    assert node["assignedAgency"] == ({"code": ticket["agency"]} if ticket["agency"] else None)
    assert node["complainant"] == {"name": ticket["complainant"]["name"],
                                   "phone": ticket["complainant"]["phone"],
                                   "citizenId": ticket["complainant"]["citizen_id"],
                                   "masked": False}
    served = await gateway.client.get(f"/open311/v2/requests/{ticket['ticket_no']}.json",
                                      params={"extensions": "true"}, headers=gateway.headers)
    assert served.status_code == 200, served.text
    request = served.json()[0]
    assert request["service_request_id"] == ticket["ticket_no"]
    assert request["status"] == ("open" if ticket["status"] in OPEN else "closed")


async def test_a_second_sync_finds_no_drift_and_writes_nothing(
        gateway: Gateway, sims: Simulators) -> None:
    db = gateway.services.database
    await sync_complaints(db, system(gateway), ["340101"], 2026)
    events = await scalar(gateway, select(func.count()).select_from(OutboxEvent))
    again = await sync_complaints(db, system(gateway), ["340101"], 2026)
    assert not again.drift.any and again.drift.unchanged == len(source_tickets(sims, "340101"))
    assert await scalar(gateway, select(func.count()).select_from(OutboxEvent)) == events


async def test_reconciliation_reports_drift_and_repairs_it(
        gateway: Gateway, sims: Simulators) -> None:
    db = gateway.services.database
    await sync_complaints(db, system(gateway), ["340101"], 2026)
    held = source_tickets(sims, "340101")
    changed, removed = held[0]["ticket_no"], held[1]["ticket_no"]
    moved_there = next(t for t in held[2:] if t["status"] == "received")["ticket_no"]
    async with db.unit_of_work() as session:
        await session.execute(update(Complaint).where(Complaint.ticket_no == changed)
                              .values(status="closed"))
        gone_id = (await session.execute(select(col(Complaint.id)).where(
            Complaint.ticket_no == removed))).scalar_one()
        await session.execute(delete(ComplaintTransition)
                              .where(ComplaintTransition.complaint_id == gone_id))
        await session.execute(delete(Complaint).where(Complaint.id == gone_id))
        await session.execute(update(Complaint).where(Complaint.ticket_no == moved_there)
                              .values(ticket_no="DD340101-2601-99"))  # a ticket it never had
    move_at_centre(sims, moved_there, "at-centre", status="accepted")

    found = await reconcile_complaints(db, system(gateway), ["340101"], 2026)

    assert found.drift.differing == {changed: ["status"]}
    assert sorted(found.drift.missing_here) == sorted([removed, moved_there])
    assert found.drift.gone_at_source == ["DD340101-2601-99"]
    assert not found.repaired
    repaired = await reconcile_complaints(db, system(gateway), ["340101"], 2026, repair=True)
    assert repaired.drift.any
    after = await reconcile_complaints(db, system(gateway), ["340101"], 2026)
    assert not after.drift.any and after.drift.unchanged == len(held)
    node = (await gateway.query(HISTORY, {"t": moved_there}))["data"]["complaint"]
    assert [h["toStatus"] for h in node["history"]] == ["RECEIVED", "ACCEPTED"]


async def test_masking_and_policy_hold_for_synced_tickets(
        gateway: Gateway, sims: Simulators) -> None:
    await sync_complaints(gateway.services.database, system(gateway), ["340101"], 2026)
    ticket = source_tickets(sims, "340101")[0]
    person = ticket["complainant"]

    gateway.login("governor", areas=["34"])
    seen = (await gateway.query(HISTORY, {"t": ticket["ticket_no"]}))["data"]["complaint"]
    assert seen["complainant"]["masked"] is True
    assert seen["complainant"]["phone"] != person["phone"]
    assert seen["complainant"]["phone"].endswith(person["phone"][-3:])
    assert seen["complainant"]["citizenId"] != person["citizen_id"]

    gateway.login("governor", areas=["10"])
    assert (await gateway.query(HISTORY, {"t": ticket["ticket_no"]}))["data"]["complaint"] \
        is None
    refused = await gateway.query(STATS, {"a": "34"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    audits = select(func.count()).select_from(AuditRecord)
    before = await scalar(gateway, audits)
    gateway.login("complaint_officer", areas=["34"], subject="officer-34")
    plain = (await gateway.query(HISTORY, {"t": ticket["ticket_no"]}))["data"]["complaint"]
    assert plain["complainant"]["phone"] == person["phone"] and not plain["complainant"]["masked"]
    assert await scalar(gateway, audits) == before + 1


async def test_the_received_figure_agrees_with_the_synced_statistics(
        gateway: Gateway, sims: Simulators) -> None:
    await sync_complaints(gateway.services.database, system(gateway), ["3401"], 2026)
    body = await gateway.query("""{ area(code: "3401") { indicatorValues(
        codes: ["COMPLAINTS_RECEIVED"], period: "FY2026") { period value source } } }""")
    months = body["data"]["area"]["indicatorValues"]
    assert len(months) == 12 and {m["source"] for m in months} == {"damrongdhama"}
    counts = (await gateway.query(STATS, {"a": "3401"}))["data"]["complaintStatistics"]
    assert sum(m["value"] for m in months) == counts["counts"]["received"]
