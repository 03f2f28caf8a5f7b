"""The project flows called directly, without GraphQL, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest

from areagraph.auth.principal import Principal, Role
from areagraph.core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from areagraph.domain.projects import writes
from areagraph.domain.projects.writes import Desk, NewProject
from areagraph.resolvers.loaders import Loaders
from tests.conftest import Gateway
from tests.domain.flow_helpers import audited
from tests.domain.helpers import rows_of

ADMIN = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))
PHUKET_GOVERNOR = Principal(subject="gov-83", roles=frozenset({Role.GOVERNOR}),
                            area_scope=("83",))
UBON_GOVERNOR = Principal(subject="gov-34", roles=frozenset({Role.GOVERNOR}), area_scope=("34",))


def _new(code: str = "P2026-FLOW-1", areas: tuple[str, ...] = ("8301", "830101"),
         budget: str = "1000000.00", indicators: tuple[str, ...] = ("drought_affected_hh",)
         ) -> NewProject:
    return NewProject(code=code, title_th="ธนาคารน้ำใต้ดิน", title_en="Groundwater banks",
                      agency_code="DLA", strategy="ยุทธศาสตร์ที่ 2", fiscal_year=2026,
                      budget_allocated=Decimal(budget), start_date=date(2025, 10, 1),
                      end_date=date(2026, 9, 30), area_codes=areas, indicator_codes=indicators,
                      milestones=[("survey", date(2025, 12, 31))])


@pytest.fixture
async def desk(gateway: Gateway) -> AsyncIterator[Desk]:
    db = gateway.services.database
    loaders = Loaders(db)
    yield Desk(db, audited("test-flow"), loaders.agency, loaders.area, loaders.indicator)


async def test_a_project_is_created_with_its_event_and_audit(gateway: Gateway,
                                                             desk: Desk) -> None:
    row = await writes.create_project(desk, PHUKET_GOVERNOR, _new())
    assert (row["code"], row["status"], row["budget_allocated"]) == (
        "P2026-FLOW-1", "planned", Decimal("1000000.00"))
    links = await rows_of(gateway, "SELECT area_code FROM project_area ORDER BY area_code")
    assert [r["area_code"] for r in links] == ["8301", "830101"]
    indicators = await rows_of(gateway, "SELECT indicator_code FROM project_indicator")
    assert [r["indicator_code"] for r in indicators] == ["DROUGHT_AFFECTED_HH"]
    audits = await rows_of(gateway, "SELECT operation, subject FROM audit_record")
    assert [(a["operation"], a["subject"]) for a in audits] == [("test-flow", "gov-83")]
    events = await rows_of(gateway, "SELECT kind, area_code FROM outbox_event")
    assert [(e["kind"], e["area_code"]) for e in events] == [("project_updated", "8301")]
    with pytest.raises(Conflict):
        await writes.create_project(desk, ADMIN, _new())


async def test_creating_refuses_every_broken_rule_at_once_and_out_of_reach(desk: Desk) -> None:
    with pytest.raises(BadUserInput) as refused:
        await writes.create_project(desk, ADMIN, _new(code="", areas=("839999",),
                                                      budget="-1", indicators=("NOPE",)))
    fields = {p["field"] for p in refused.value.extensions["problems"]}
    assert fields == {"code", "budgetAllocated", "areaCodes", "indicatorCodes"}
    with pytest.raises(Forbidden):
        await writes.create_project(desk, UBON_GOVERNOR, _new())
    with pytest.raises(Unauthenticated):
        await writes.create_project(desk, None, _new())


async def test_progress_is_recorded_only_where_it_changes(gateway: Gateway, desk: Desk) -> None:
    await writes.create_project(desk, ADMIN, _new())
    row = await writes.update_progress(desk, PHUKET_GOVERNOR, "P2026-FLOW-1", progress_pct=40.0,
                                       disbursed=Decimal("250000.00"), status="in_progress",
                                       milestones=[("survey", "done")])
    assert (row["progress_pct"], row["status"]) == (40.0, "in_progress")
    again = await writes.update_progress(desk, ADMIN, "P2026-FLOW-1", progress_pct=40.0,
                                         disbursed=None, status=None, milestones=[])
    assert again["progress_pct"] == 40.0
    audits = await rows_of(gateway, "SELECT changes FROM audit_record ORDER BY id")
    assert len(audits) == 2  # the creation and the one update that changed something
    events = await rows_of(gateway, "SELECT kind FROM outbox_event")
    assert len(events) == 2


async def test_progress_refusals(desk: Desk) -> None:
    await writes.create_project(desk, ADMIN, _new())
    cases: list[tuple[Principal, dict[str, object], type[Exception]]] = [
        (UBON_GOVERNOR, {}, NotFound),  # out of reach reads as missing
        (ADMIN, {"progress_pct": 140.0}, BadUserInput),
        (ADMIN, {"disbursed": Decimal("2000000.00")}, BadUserInput),
        (ADMIN, {"milestones": [("survey", "someday")]}, BadUserInput),
        (ADMIN, {"milestones": [("launch", "done")]}, BadUserInput),
    ]
    for principal, change, error in cases:
        arguments = {"progress_pct": None, "disbursed": None, "status": None, "milestones": [],
                     **change}
        with pytest.raises(error):
            await writes.update_progress(desk, principal, "P2026-FLOW-1",
                                         **arguments)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await writes.update_progress(desk, ADMIN, "NO-SUCH", progress_pct=1.0, disbursed=None,
                                     status=None, milestones=[])
