"""Damrongdhama Centres, the complaints' system of record: complaints received per area and
month, tickets as events, and the tickets themselves for the local store (read, filed, moved).

Writes carry an idempotency key and are retried with the same key when the answer does not
come back, so a ticket is never filed twice; a refusal raises `SourceRefused` with the
centre's code and reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter

from areagraph.connectors.base import (
    EventRequest,
    Fetched,
    IndicatorValue,
    SourceEvent,
    StatusChange,
    Unmapped,
    ValueRequest,
)
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import current_code, months_between
from areagraph.connectors.remote import HttpConnector
from areagraph.core.area_codes import is_within
from areagraph.core.clock import utcnow
from areagraph.core.errors import SourceUnavailable
from areagraph.core.periods import month_label

RECEIVED = "COMPLAINTS_RECEIVED"
_CATEGORY_TITLES = {"land": "ที่ดิน", "debt": "หนี้สิน", "nuisance": "เหตุเดือดร้อนรำคาญ",
                    "infrastructure": "โครงสร้างพื้นฐาน", "water": "น้ำประปาและแหล่งน้ำ",
                    "officials": "พฤติกรรมเจ้าหน้าที่", "other": "อื่น ๆ"}


class _Stat(BaseModel):
    area: str
    month: str
    received: int


class _Stats(BaseModel):
    stats: list[_Stat]


class TicketStep(BaseModel):
    status: str
    at: datetime
    by: str = ""
    agency: str | None = None
    note: str | None = None


class Complainant(BaseModel):
    name: str = ""
    phone: str = ""
    citizen_id: str = ""


class SourceTicket(BaseModel):
    """A ticket as the centre holds it."""

    ticket_no: str
    area_code: str
    category: str
    channel: str = ""
    subject: str = ""
    detail: str = ""
    complainant: Complainant = Complainant()
    received_at: datetime
    status: str
    agency: str | None = None
    history: list[TicketStep]


class _Tickets(BaseModel):
    results: list[SourceTicket]


_STATS = TypeAdapter(_Stats)
_TICKETS = TypeAdapter(_Tickets)
_TICKET = TypeAdapter(SourceTicket)
_REFUSED = frozenset({404, 409, 422})


class DamrongdhamaConnector(HttpConnector):
    default_agency = "DAMRONGDHAMA"
    event_kinds = frozenset({"complaint"})

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        areas = [c for c in request.area_codes if c != "TH"]
        if RECEIVED not in request.indicator_codes or not areas:
            return fetched
        months = [month_label(m) for m in months_between(request.start, request.end)]
        answer = await self.http.post("/api/v2/stats/received", answer=_STATS,
                                      json={"areas": areas, "months": months})
        fetched_at = utcnow()
        for stat in answer.stats:
            fetched.add(IndicatorValue(area_code=stat.area, indicator_code=RECEIVED,
                                       period=stat.month, value=stat.received, source=self.name,
                                       fetched_at=fetched_at))
        return fetched

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]:
        fetched: Fetched[SourceEvent] = Fetched()
        areas = [c for c in request.area_codes if c != "TH"]
        if "complaint" not in request.kinds or not areas:
            return fetched
        fetched_at = utcnow()
        for ticket in await self.tickets(areas, request.start, request.end):
            code, reason = current_code(ticket.area_code)
            if code is None:
                fetched.unmapped.append(Unmapped(source=self.name, key=ticket.ticket_no,
                                                 reason=reason or "unknown area"))
                continue
            resolved = ticket.status in ("resolved", "rejected")
            category = _CATEGORY_TITLES.get(ticket.category, ticket.category)
            # A ticket is with the agency it was last referred to (none while at the centre).
            agency = next((e.agency or e.by for e in reversed(ticket.history)
                           if e.status == "referred" and (e.agency or e.by)), None)
            for area in areas:
                if is_within(code, area):
                    fetched.add(SourceEvent(
                        area_code=area, kind="complaint", reference=ticket.ticket_no,
                        title=f"เรื่องร้องเรียน: {category}",
                        area_codes=(code,), started_on=ticket.received_at.date(),
                        ended_on=ticket.history[-1].at.date() if resolved else None,
                        status=ticket.status, agency_code=agency,
                        history=tuple(StatusChange(status=e.status, at=e.at, note=e.note)
                                      for e in ticket.history),
                        source=self.name, fetched_at=fetched_at))
        return fetched

    async def tickets(self, areas: list[str], start: date, end: date) -> list[SourceTicket]:
        """Every ticket received inside these areas between the two dates (inclusive)."""
        answer = await self.http.post("/api/v2/tickets/search", answer=_TICKETS, json={
            "areas": areas, "received_from": start.isoformat(), "received_to": end.isoformat()})
        return answer.results

    async def file_ticket(self, filing: dict[str, Any], key: str) -> SourceTicket:
        return await self._write("/api/v2/tickets", filing, key)

    async def move_ticket(self, ticket_no: str, move: dict[str, Any], key: str) -> SourceTicket:
        return await self._write(f"/api/v2/tickets/{ticket_no}/transitions", move, key)

    async def _write(self, path: str, body: dict[str, Any], key: str) -> SourceTicket:
        """POST with the idempotency key, again with the same key while no answer comes back
        (the first call may have been done before its answer was lost)."""
        attempts = max(2, self.config.retries + 1)
        for attempt in range(attempts):
            try:
                return await self.http.request("POST", path, _TICKET, refusals=_REFUSED,
                                               json=body, headers={"Idempotency-Key": key})
            except SourceUnavailable:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")


def build(config: SourceConfig, _deps: object) -> DamrongdhamaConnector:
    return DamrongdhamaConnector(config)
