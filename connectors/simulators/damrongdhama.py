"""Damrongdhama Centres' complaint system (ศูนย์ดำรงธรรม, hotline 1567): tickets and statistics.

Its own style: a token in `Authorization: Token …`, timestamps in Bangkok time with their
offset, tickets with the full status history (received, referred to an agency, in progress,
resolved or rejected).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import FastAPI, HTTPException, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from connectors.simulators.base import number, simulator_app
from connectors.simulators.geography import current_codes, subdistricts_of_province

TOKEN = "Token demo-damrongdhama"
_TOKEN = APIKeyHeader(name="Authorization", auto_error=False,
                      description="Token <key>, issued by the centre's system administrator")
BANGKOK = timezone(timedelta(hours=7))
CATEGORIES = (("land", "DOL"), ("debt", "OPS"), ("nuisance", "DLA"), ("infrastructure", "DPT"),
              ("water", "PWA"), ("officials", "DOPA"), ("other", "OPS"))
CHANNELS = ("1567", "walk-in", "web", "line", "letter")


class HistoryEntry(BaseModel):
    status: str
    at: datetime
    by: str
    note: str | None = None


class Ticket(BaseModel):
    ticket_no: str
    area_code: str
    category: str
    channel: str
    received_at: datetime
    status: str
    history: list[HistoryEntry]


class TicketSearch(BaseModel):
    areas: list[str] = Field(description="DOPA codes of any level; tickets inside them.")
    received_from: date
    received_to: date


class TicketList(BaseModel):
    count: int
    results: list[Ticket]


class StatsQuery(BaseModel):
    areas: list[str]
    months: list[str] = Field(description="yyyy-mm")


class Stat(BaseModel):
    area: str
    month: str
    received: int


class StatsAnswer(BaseModel):
    stats: list[Stat]


def tickets_in(tambon: str, month: date) -> list[Ticket]:
    """The tickets received from a subdistrict in a month."""
    found: list[Ticket] = []
    for index in range(number("dd", tambon, month, low=0, high=2)):
        seed = (tambon, month, index)
        category, agency = CATEGORIES[number("dd-cat", *seed, low=0, high=len(CATEGORIES) - 1)]
        received = datetime(month.year, month.month, number("dd-day", *seed, low=1, high=28),
                            number("dd-hour", *seed, low=8, high=16), 0, tzinfo=BANGKOK)
        history = [HistoryEntry(status="received", at=received, by="centre")]
        steps = number("dd-steps", *seed, low=0, high=3)
        moment = received
        for status, by in (("referred", agency), ("in_progress", agency),
                           ("resolved" if number("dd-ok", *seed, low=0, high=5) else "rejected",
                            agency))[:steps]:
            moment += timedelta(days=number("dd-gap", *seed, status, low=1, high=12))
            history.append(HistoryEntry(status=status, at=moment, by=by,
                                        note=f"ส่งต่อ {agency}" if status == "referred" else None))
        found.append(Ticket(
            ticket_no=f"DD{tambon}-{month:%y%m}-{index + 1:02d}", area_code=tambon,
            category=category, channel=CHANNELS[number("dd-ch", *seed, low=0, high=4)],
            received_at=received, status=history[-1].status, history=history))
    return found


def _tambons(areas: list[str]) -> list[str]:
    known = current_codes()
    found: dict[str, None] = {}
    for area in areas:
        if area not in known:
            continue
        if len(area) == 6:
            found[area] = None
        else:
            found.update((t, None) for t in subdistricts_of_province(area[:2])
                         if t.startswith(area))
    return list(found)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _authorise(authorization: str | None) -> None:
    if authorization != TOKEN:
        raise HTTPException(401, "missing or wrong Authorization token")


def app() -> FastAPI:
    api = simulator_app("damrongdhama", "Damrongdhama complaint tickets",
                        "Complaints received by the Damrongdhama Centres, with their history.")

    @api.post("/api/v2/tickets/search", tags=["data"], response_model=TicketList)
    async def search(body: TicketSearch,
                     authorization: Annotated[str | None, Security(_TOKEN)] = None) -> TicketList:
        _authorise(authorization)
        results = [t for tambon in _tambons(body.areas)
                   for month in _months(body.received_from, body.received_to)
                   for t in tickets_in(tambon, month)
                   if body.received_from <= t.received_at.date() <= body.received_to]
        return TicketList(count=len(results), results=results)

    @api.post("/api/v2/stats/received", tags=["data"], response_model=StatsAnswer)
    async def received(body: StatsQuery,
                       authorization: Annotated[str | None, Security(_TOKEN)] = None
                       ) -> StatsAnswer:
        _authorise(authorization)
        stats: list[Stat] = []
        for area in dict.fromkeys(body.areas):
            tambons = _tambons([area])
            for text in body.months:
                month = date(int(text[:4]), int(text[5:7]), 1)
                total = sum(number("dd", t, month, low=0, high=2) for t in tambons)
                if tambons:
                    stats.append(Stat(area=area, month=text, received=total))
        return StatsAnswer(stats=stats)

    return api
