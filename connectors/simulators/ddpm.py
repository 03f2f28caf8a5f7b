"""DDPM disaster declarations (ประกาศเขตพื้นที่ประสบสาธารณภัย): flood, drought, storm.

DDPM's own style: one record per declaration with the list of subdistricts it covers and the
households affected in each, dates written dd/mm/yyyy in the Buddhist Era. Besides the generated
declarations, `PUT /_sim/declarations` announces declarations of a test's own (it replaces the
ones announced before), so a test can watch a declaration appear and end.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel

from areagraph.connectors.simulators.base import number, simulator_app
from areagraph.connectors.simulators.geography import subdistricts_of_province

BE = 543


class Declaration(BaseModel):
    declaration_no: str
    hazard: str
    province: str
    declared_on: str
    ended_on: str | None
    area_codes: list[str]
    affected_households: dict[str, int]


class DeclarationList(BaseModel):
    total: int
    declarations: list[Declaration]


def be_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE}"


def _parse_be(text: str) -> date:
    try:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year - BE, month, day)
    except ValueError:
        raise HTTPException(422, f"date must be dd/mm/yyyy (BE): {text!r}") from None


def _hazard(month: int) -> str:
    if month in (8, 9, 10, 11):
        return "FLOOD"
    if month in (2, 3, 4, 5):
        return "DROUGHT"
    return "STORM"


def declarations(province: str, month: date) -> list[Declaration]:
    """The declarations made in a province in a month."""
    tambons = subdistricts_of_province(province)
    found: list[Declaration] = []
    for index in range(number("ddpm", province, month, low=0, high=2)):
        seed = (province, month, index)
        size = number("ddpm-size", *seed, low=1, high=min(6, len(tambons)))
        first = number("ddpm-first", *seed, low=0, high=len(tambons) - 1)
        codes = sorted({tambons[(first + 7 * k) % len(tambons)] for k in range(size)})
        declared = month.replace(day=number("ddpm-day", *seed, low=1, high=25))
        ended = declared + timedelta(days=number("ddpm-days", *seed, low=5, high=45))
        serial = month.month * 10 + index + 1
        found.append(Declaration(
            declaration_no=f"ปภ.{province}/{month.year + BE}/{serial:04d}",
            hazard=_hazard(month.month), province=province, declared_on=be_date(declared),
            ended_on=None if number("ddpm-open", *seed, low=0, high=3) == 0 else be_date(ended),
            area_codes=codes,
            affected_households={c: number("ddpm-hh", *seed, c, low=10, high=900)
                                 for c in codes}))
    return found


def app() -> FastAPI:
    api = simulator_app("ddpm", "DDPM disaster declarations",
                        "Flood, drought and storm declarations with the subdistricts they cover.")
    announced: list[Declaration] = []

    @api.put("/_sim/declarations", include_in_schema=False)
    async def announce(declared: list[Declaration]) -> list[Declaration]:
        announced[:] = declared
        return announced

    @api.get("/api/declarations", tags=["data"], response_model=DeclarationList)
    async def list_declarations(province: Annotated[list[str], Query()],
                                date_from: str, date_to: str) -> DeclarationList:
        first, last = _parse_be(date_from), _parse_be(date_to)
        found: list[Declaration] = []
        month = first.replace(day=1)
        while month <= last:
            for code in dict.fromkeys(province):
                if subdistricts_of_province(code):
                    found += declarations(code, month)
            month = (month + timedelta(days=32)).replace(day=1)
        found += [d for d in announced if d.province in province
                  and first <= _parse_be(d.declared_on) <= last]
        return DeclarationList(total=len(found), declarations=found)

    return api
