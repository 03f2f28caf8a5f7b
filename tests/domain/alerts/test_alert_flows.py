"""The alert flows called directly: rules set, figures read against them, what callers see."""

from __future__ import annotations

import pytest

from areagraph.auth.policy import Grant
from areagraph.connectors.local import alerts as store
from areagraph.core.clock import utcnow
from areagraph.core.errors import BadUserInput, Forbidden
from areagraph.domain.alerts import management
from areagraph.domain.alerts.evaluation import Reading, evaluate, evaluate_overdue, sweep_overdue
from areagraph.domain.complaints.states import OPEN
from tests.conftest import Gateway
from tests.domain.flow_helpers import AuditLog, lookups, principal
from tests.domain.helpers import rows_of

DROUGHT = "DROUGHT_AFFECTED_HH"


async def _rule(gateway: Gateway, area: str = "83") -> dict[str, object]:
    db = gateway.services.database
    return await management.create_rule(
        db, principal("ministry_admin"), audit=AuditLog(), name=" drought ",
        indicator_code=DROUGHT.lower(), area_code=area, comparator=">", threshold=25,
        severity="critical", **lookups(db))


def _reading(area: str, period: str, value: float) -> Reading:
    return Reading(DROUGHT, "drought", area, period, value)


async def test_a_rule_is_checked_saved_and_audited(gateway: Gateway) -> None:
    db, audit = gateway.services.database, AuditLog()
    rule = await management.create_rule(
        db, principal("ministry_admin", subject="admin"), audit=audit, name=" drought ",
        indicator_code=DROUGHT.lower(), area_code="83000000", comparator=">", threshold=25,
        severity="critical", **lookups(db))
    assert (rule["name"], rule["indicator_code"], rule["area_code"]) == ("drought", DROUGHT, "83")
    assert audit.calls[0][0] == "admin" and audit.calls[0][1][0]["table"] == "alert_rule"
    with pytest.raises(BadUserInput) as bad:
        await management.create_rule(
            db, principal("ministry_admin"), audit=audit, name="r", indicator_code=DROUGHT,
            area_code="83", comparator="!=", threshold=1, severity="critical", **lookups(db))
    assert bad.value.extensions["argument"] == "comparator"
    with pytest.raises(Forbidden):
        await management.create_rule(
            db, principal("governor", ["34"]), audit=audit, name="r", indicator_code=DROUGHT,
            area_code="83", comparator=">", threshold=1, severity="critical", **lookups(db))
    assert len(audit.calls) == 1


async def test_readings_raise_move_and_clear_alerts(gateway: Gateway) -> None:
    rule = await _rule(gateway)
    db = gateway.services.database
    async with db.unit_of_work() as session:
        changes = await evaluate(session, [_reading("830101", "2026-03", 30),
                                           _reading("830201", "2026-03", 20),
                                           _reading("340101", "2026-03", 90)])
    assert changes == [{"table": "alert", "key": f"{rule['id']}/830101", "before": None,
                        "after": store.ACTIVE}]
    async with db.unit_of_work() as session:
        assert await evaluate(session, [_reading("830101", "2026-04", 40)]) == []  # moved
        assert await evaluate(session, [_reading("830101", "2026-02", 10)]) == []  # older
    async with db.unit_of_work() as session:
        cleared = await evaluate(session, [_reading("830101", "2026-04", 12)])
    assert [c["after"] for c in cleared] == [store.CLEARED]
    alerts = await rows_of(gateway, "SELECT period, value, status FROM alert")
    assert alerts == [{"period": "2026-04", "value": 40.0, "status": store.CLEARED}]
    events = await rows_of(gateway, "SELECT area_code FROM outbox_event "
                                    "WHERE kind = 'alert_raised'")
    assert [e["area_code"] for e in events] == ["830101", "830101"]


async def test_overdue_counts_need_a_rule(gateway: Gateway) -> None:
    db = gateway.services.database
    async with db.unit_of_work() as session:
        assert await evaluate_overdue(session, "8301", utcnow(), OPEN) == []
    assert await sweep_overdue(db, OPEN) == 0


async def test_callers_see_rules_and_alerts_in_their_areas(gateway: Gateway) -> None:
    await _rule(gateway, "83")
    await _rule(gateway, "8301")
    db = gateway.services.database
    seen = await management.visible_rules(db, [Grant(areas=("8302",))], None)
    assert [r["area_code"] for r in seen] == ["83"]  # set above, reaching down
    seen = await management.visible_rules(db, [Grant(areas=("83",))], DROUGHT)
    assert [r["area_code"] for r in seen] == ["83", "8301"]
    assert await management.visible_rules(db, [Grant(areas=("34",))], None) == []
    assert management.alert_scopes([Grant(areas=None), Grant(areas=("83",)),
                                    Grant(areas=None, agency="PWA")]) == [None, ("83",)]
    async with db.unit_of_work() as session:
        await evaluate(session, [_reading("830101", "2026-03", 30)])
    for scopes, shown in (([("8301",)], 2), ([("34",)], 0), ([None], 2), ([], 0)):
        f = store.AlertFilter(scopes=scopes)
        assert await store.count_alerts(db, f) == shown, scopes
