"""Damrongdhama Centres: complaints received per area and month, and tickets as events."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, TypeAdapter

from connectors.base import (
    EventRequest,
    Fetched,
    IndicatorValue,
    SourceEvent,
    StatusChange,
    Unmapped,
    ValueRequest,
)
from connectors.config import SourceConfig
from connectors.local.clock import utcnow
from connectors.mapping import contains, current_code, months_between
from connectors.periods import month_label
from connectors.remote import HttpConnector

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


class _Entry(BaseModel):
    status: str
    at: datetime
    by: str | None = None
    note: str | None = None


class _Ticket(BaseModel):
    ticket_no: str
    area_code: str
    category: str
    received_at: datetime
    status: str
    history: list[_Entry]


class _Tickets(BaseModel):
    results: list[_Ticket]


_STATS = TypeAdapter(_Stats)
_TICKETS = TypeAdapter(_Tickets)


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
        answer = await self.http.post("/api/v2/tickets/search", answer=_TICKETS, json={
            "areas": areas, "received_from": request.start.isoformat(),
            "received_to": request.end.isoformat()})
        fetched_at = utcnow()
        for ticket in answer.results:
            code, reason = current_code(ticket.area_code)
            if code is None:
                fetched.unmapped.append(Unmapped(source=self.name, key=ticket.ticket_no,
                                                 reason=reason or "unknown area"))
                continue
            resolved = ticket.status in ("resolved", "rejected")
            category = _CATEGORY_TITLES.get(ticket.category, ticket.category)
            # A ticket is with the agency it was last referred to (none while at the centre).
            agency = next((e.by for e in reversed(ticket.history)
                           if e.status == "referred" and e.by), None)
            for area in areas:
                if contains(area, code):
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


def build(config: SourceConfig, _deps: object) -> DamrongdhamaConnector:
    return DamrongdhamaConnector(config)
