"""Which source events each role is sent on `sourceEvent`: complaint tickets as complaints."""

from __future__ import annotations

from datetime import UTC, datetime

from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.outbox import Event
from areagraph.resolvers.subscriptions import sees_source_event


def _event(kind: str, agency: str | None) -> Event:
    payload = event_payloads.source_event(source="damrongdhama", kind=kind, reference="DD-1",
                                          title="เรื่องร้องเรียน", area_codes=["100101"],
                                          agency_code=agency)
    return Event(1, "source_event", "1001", payload, datetime.now(UTC))


def _who(role: Role, areas: tuple[str, ...] = (), agency: str | None = None) -> Principal:
    return Principal(subject="s", roles=frozenset({role}), area_scope=areas, agency=agency)


def test_complaint_tickets_reach_the_agency_they_are_with() -> None:
    pwa_ticket, dol_ticket, at_centre = (_event("complaint", "PWA"), _event("complaint", "DOL"),
                                         _event("complaint", None))
    flood = _event("flood_declared", None)
    officer = sees_source_event(_who(Role.DEPARTMENT_OFFICER, agency="PWA"), None)
    assert [officer(e) for e in (pwa_ticket, dol_ticket, at_centre, flood)] == [
        True, False, False, True]
    for reader in (_who(Role.EXECUTIVE), _who(Role.GOVERNOR, ("10",)),
                   _who(Role.DISTRICT_CHIEF, ("1001",))):
        accepts = sees_source_event(reader, None)
        assert all(accepts(e) for e in (pwa_ticket, dol_ticket, at_centre, flood))
    for outsider in (_who(Role.GOVERNOR, ("34",)), _who(Role.PARTNER),
                     _who(Role.COMPLAINT_OFFICER, ("10",))):
        accepts = sees_source_event(outsider, None)
        assert not any(accepts(e) for e in (pwa_ticket, dol_ticket, at_centre, flood))
