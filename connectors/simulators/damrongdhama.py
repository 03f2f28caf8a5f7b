"""Damrongdhama Centres' complaint system (ศูนย์ดำรงธรรม, hotline 1567): the system of record.

Its own style: a token in `Authorization: Token …`, timestamps in Bangkok time with their
offset, tickets with the full status history (received, accepted, assigned to an agency, in
progress, resolved, closed; referred or rejected on the way). Tickets are filed and moved here
(`Idempotency-Key` required: the same key again answers the first answer and files nothing);
a refusal answers 422 with `{"code", "reason"}`. A few old tickets still name subdistricts that
were abolished and split.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from areagraph.connectors.simulators.base import simulator_app
from areagraph.connectors.simulators.damrongdhama_desk import (
    BANGKOK,
    Desk,
    Filing,
    Move,
    Refusal,
    Ticket,
    TicketList,
    TicketSearch,
    generated,
    generated_count,
)
from areagraph.connectors.simulators.geography import (
    current_codes,
    split_codes,
    subdistricts_of_province,
)

TOKEN = "Token demo-damrongdhama"
_TOKEN = APIKeyHeader(name="Authorization", auto_error=False,
                      description="Token <key>, issued by the centre's system administrator")
_KEY = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=200,
                             description="The client's key for this write; sent again on retry")]
_AUTH = Annotated[str | None, Security(_TOKEN)]
__all__ = ["BANGKOK", "TOKEN", "app", "tickets_in"]


class StatsQuery(BaseModel):
    areas: list[str]
    months: list[str] = Field(description="yyyy-mm")


class Stat(BaseModel):
    area: str
    month: str
    received: int


class StatsAnswer(BaseModel):
    stats: list[Stat]


def tickets_in(place: str, month: date) -> list[Ticket]:
    """The generated tickets received from a place (as the centre files it) in a month."""
    return generated(place, month, datetime.now(BANGKOK))


def _places(areas: list[str]) -> list[str]:
    """The place codes tickets are filed under inside these areas: today's subdistricts, and
    a few abolished ones."""
    known = current_codes()
    found: dict[str, None] = {}
    for area in areas:
        if area not in known:
            continue
        if len(area) == 6:
            found[area] = None
        else:
            province = area[:2]
            found.update((t, None) for t in (*subdistricts_of_province(province),
                                              *split_codes("dd-old", province))
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


def _refused(refusal: Refusal) -> JSONResponse:
    return JSONResponse({"code": refusal.code, "reason": refusal.reason},
                        status_code=refusal.status)


def app() -> FastAPI:
    api = simulator_app("damrongdhama", "Damrongdhama complaint tickets",
                        "The complaints' system of record: tickets with their history; filing "
                        "and moving tickets, idempotent by key.")
    desk = Desk(current_codes())
    api.state.simulator.on_reset.append(desk.clear)

    def search_all(body: TicketSearch) -> list[Ticket]:
        now = datetime.now(BANGKOK)
        found = [desk.current(t) for place in _places(body.areas)
                 for month in _months(body.received_from, body.received_to)
                 for t in generated(place, month, now)]
        found += desk.filed_in(body.areas)
        return sorted((t for t in found
                       if body.received_from <= t.received_at.date() <= body.received_to),
                      key=lambda t: t.ticket_no)

    @api.post("/api/v2/tickets/search", tags=["data"], response_model=TicketList)
    async def search(body: TicketSearch, authorization: _AUTH = None) -> TicketList:
        _authorise(authorization)
        results = search_all(body)
        return TicketList(count=len(results), results=results)

    @api.get("/api/v2/tickets/{ticket_no}", tags=["data"], response_model=Ticket,
             responses={404: {"model": Refusal}})
    async def one(ticket_no: str, authorization: _AUTH = None) -> Ticket | JSONResponse:
        _authorise(authorization)
        found = desk.find(ticket_no, datetime.now(BANGKOK))
        return found if found is not None else _refused(desk.unknown(ticket_no))

    @api.post("/api/v2/tickets", tags=["data"], status_code=201, response_model=Ticket,
              responses={422: {"model": Refusal}},
              summary="File a ticket (the same Idempotency-Key again files nothing)")
    async def file(body: Filing, key: _KEY, authorization: _AUTH = None
                   ) -> Ticket | JSONResponse:
        _authorise(authorization)
        answer = desk.file(key, body, datetime.now(BANGKOK))
        return answer if isinstance(answer, Ticket) else _refused(answer)

    @api.post("/api/v2/tickets/{ticket_no}/transitions", tags=["data"], response_model=Ticket,
              responses={404: {"model": Refusal}, 422: {"model": Refusal}},
              summary="Move a ticket one step of the workflow (idempotent by key)")
    async def move(ticket_no: str, body: Move, key: _KEY, authorization: _AUTH = None
                   ) -> Ticket | JSONResponse:
        _authorise(authorization)
        answer = desk.move(key, ticket_no, body, datetime.now(BANGKOK))
        return answer if isinstance(answer, Ticket) else _refused(answer)

    @api.post("/api/v2/stats/received", tags=["data"], response_model=StatsAnswer)
    async def received(body: StatsQuery, authorization: _AUTH = None) -> StatsAnswer:
        _authorise(authorization)
        stats: list[Stat] = []
        now = datetime.now(BANGKOK)
        for area in dict.fromkeys(body.areas):
            places = _places([area])
            if not places:
                continue
            for text in body.months:
                first = date(int(text[:4]), int(text[5:7]), 1)
                last = _months(first, first + timedelta(days=31))[-1] - timedelta(days=1)
                total = sum(generated_count(p, first, now) for p in places)
                stats.append(Stat(area=area, month=text,
                                  received=total + desk.filed_count(area, first, last)))
        return StatsAnswer(stats=stats)

    return api
