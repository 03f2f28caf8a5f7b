"""The complaint flows called directly, without GraphQL: filing, moving, service levels, counts
and the complainant's view, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from areagraph.auth.policy import Capability, grants
from areagraph.auth.principal import Principal, Role
from areagraph.core.errors import (
    AppError,
    BadUserInput,
    Conflict,
    Forbidden,
    NotFound,
    Unauthenticated,
)
from areagraph.domain.alerts.evaluation import evaluate_overdue
from areagraph.domain.complaints import workflow
from areagraph.domain.complaints.complainants import complainant_view
from areagraph.domain.complaints.states import OPEN
from areagraph.domain.complaints.workflow import Desk, NewComplaint
from areagraph.resolvers.loaders import Loaders
from tests.conftest import Gateway
from tests.domain.flow_helpers import audited
from tests.domain.helpers import rows_of

ADMIN = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))
UBON_GOVERNOR = Principal(subject="gov-34", roles=frozenset({Role.GOVERNOR}), area_scope=("34",))
PHUKET_OFFICER = Principal(subject="officer-83", roles=frozenset({Role.COMPLAINT_OFFICER}),
                           area_scope=("83",))
NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


def _new(area: str = "830101", category: str = "water", citizen_id: str = "1101700203451",
         subject: str = "น้ำประปาไม่ไหล") -> NewComplaint:
    return NewComplaint(channel="hotline_1567", category_code=category, area_code=area,
                        subject=subject, detail="", complainant_name=" สมชาย ใจดี ",
                        complainant_phone="0812345678", complainant_citizen_id=citizen_id)


@pytest.fixture
async def desk(gateway: Gateway) -> AsyncIterator[Desk]:
    db = gateway.services.database
    loaders = Loaders(db)
    yield Desk(db, audited("test-flow"), loaders.category, loaders.area, loaders.agency,
               partial(evaluate_overdue, open_statuses=OPEN), clock=lambda: NOW)


async def test_filing_and_moving_write_the_row_its_history_event_and_audit(
        gateway: Gateway, desk: Desk) -> None:
    filed = await workflow.file_complaint(desk, ADMIN, _new())
    assert filed["status"] == "received" and filed["complainant_name"] == "สมชาย ใจดี"
    assert filed["ticket_no"].startswith("1567-2569-")
    assert filed["due_at"].replace(tzinfo=UTC) == NOW + timedelta(days=15)
    ticket = filed["ticket_no"]
    for to, agency in (("accepted", None), ("assigned", "PWA"), ("in_progress", None),
                       ("resolved", None)):
        moved = await workflow.transition(desk, ADMIN, ticket, to, agency, "", None)
    assert moved["status"] == "resolved" and moved["assigned_agency_code"] == "PWA"
    assert moved["resolved_at"].replace(tzinfo=UTC) == NOW
    audits = await rows_of(gateway, "SELECT operation, subject FROM audit_record")
    assert [(a["operation"], a["subject"]) for a in audits] == [("test-flow", "admin")] * 5
    events = await rows_of(gateway, "SELECT kind FROM outbox_event")
    assert [e["kind"] for e in events] == ["complaint_updated"] * 5
    steps = await rows_of(gateway, "SELECT to_status, actor FROM complaint_transition "
                                   "ORDER BY id")
    assert [s["to_status"] for s in steps] == ["received", "accepted", "assigned",
                                               "in_progress", "resolved"]


@pytest.mark.parametrize(("new", "argument"), [
    (_new(category="nope"), "categoryCode"),
    (_new(area="839999"), "areaCode"),
    (_new(subject="  "), "subject"),
    (_new(citizen_id="12345"), "complainantCitizenId"),
])
async def test_filing_refuses_bad_input_by_argument(desk: Desk, new: NewComplaint,
                                                     argument: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        await workflow.file_complaint(desk, ADMIN, new)
    assert refused.value.extensions["argument"] == argument


async def test_filing_needs_a_caller_with_reach(desk: Desk) -> None:
    with pytest.raises(Unauthenticated):
        await workflow.file_complaint(desk, None, _new())
    with pytest.raises(Forbidden):
        await workflow.file_complaint(desk, UBON_GOVERNOR, _new())


async def test_moves_are_checked_against_workflow_reach_and_the_expected_status(
        gateway: Gateway, desk: Desk) -> None:
    ticket = (await workflow.file_complaint(desk, ADMIN, _new()))["ticket_no"]
    cases: list[tuple[Principal, str, str | None, str, str | None, type[AppError]]] = [
        (ADMIN, "resolved", None, "", None, BadUserInput),
        (ADMIN, "rejected", None, "", None, BadUserInput),  # a rejection needs a note
        (ADMIN, "accepted", None, "", "assigned", Conflict),
        (ADMIN, "assigned", "NOPE", "", None, BadUserInput),
        (UBON_GOVERNOR, "accepted", None, "", None, NotFound),  # not admitted to exist
    ]
    for principal, to, agency, note, expected, error in cases:
        with pytest.raises(error):
            await workflow.transition(desk, principal, ticket, to, agency, note, expected)
    with pytest.raises(NotFound):
        await workflow.transition(desk, ADMIN, "1567-2569-999999", "accepted", None, "", None)
    assert len(await rows_of(gateway, "SELECT id FROM complaint_transition")) == 1
    moved = await workflow.transition(desk, PHUKET_OFFICER, ticket, "accepted", None, "",
                                      "received")
    assert moved["status"] == "accepted"


async def test_reading_one_complaint_answers_none_out_of_reach(desk: Desk) -> None:
    ticket = (await workflow.file_complaint(desk, ADMIN, _new()))["ticket_no"]
    seen = await workflow.complaint(desk.db, PHUKET_OFFICER, ticket)
    assert seen is not None and seen["ticket_no"] == ticket
    assert await workflow.complaint(desk.db, UBON_GOVERNOR, ticket) is None
    assert await workflow.complaint(desk.db, ADMIN, "no-such-ticket") is None


async def test_statistics_count_within_the_grants(desk: Desk) -> None:
    await workflow.file_complaint(desk, ADMIN, _new())
    await workflow.file_complaint(desk, ADMIN, _new(area="830201", category="land"))
    everything = grants(ADMIN, Capability.COMPLAINTS)
    stats = await workflow.statistics(desk.db, everything, "83", None,
                                      NOW + timedelta(days=30))
    assert stats.summary.received == 2 and stats.summary.open == 2
    assert stats.summary.overdue == 1  # water is due after 15 days, land after 60
    assert set(stats.by_category) == {"water", "land"}
    assert set(stats.children) == {"8301", "8302"}
    ubon = await workflow.statistics(desk.db, grants(UBON_GOVERNOR, Capability.COMPLAINTS),
                                     "34", None, NOW)
    assert ubon.summary.received == 0


async def test_service_levels_are_set_country_wide_only(gateway: Gateway, desk: Desk) -> None:
    row = await workflow.set_sla(desk, ADMIN, "water", 20)
    assert row["sla_days"] == 20
    with pytest.raises(BadUserInput):
        await workflow.set_sla(desk, ADMIN, "water", 366)
    with pytest.raises(Forbidden):
        await workflow.set_sla(desk, UBON_GOVERNOR, "water", 10)
    with pytest.raises(NotFound):
        await workflow.set_sla(desk, ADMIN, "nope", 10)
    filed = await workflow.file_complaint(desk, ADMIN, _new())
    assert filed["due_at"].replace(tzinfo=UTC) == NOW + timedelta(days=20)


async def test_the_complainant_is_shown_in_full_masked_or_not_at_all(desk: Desk) -> None:
    row = await workflow.file_complaint(desk, ADMIN, _new())
    full = complainant_view(ADMIN, row)
    assert full is not None and not full.masked and full.citizen_id == "1101700203451"
    masked = complainant_view(Principal(subject="exec", roles=frozenset({Role.EXECUTIVE})), row)
    assert masked is not None and masked.masked and masked.citizen_id != "1101700203451"
    partner = Principal(subject="p", roles=frozenset({Role.PARTNER}), area_scope=("83",))
    assert complainant_view(partner, row) is None
