"""DOPA civil registration (ทะเบียนราษฎร): registered population and households by area and month.

DOPA's own style: 8-digit area codes (34000000 for a province), months as yyyymm, an API key in
`X-DOPA-Key`, and pages of at most 5,000 rows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from areagraph.connectors.simulators.base import number, simulator_app
from areagraph.connectors.simulators.geography import current_codes, level_scale
from areagraph.core.area_codes import from_dopa8

API_KEY = "demo-dopa-key"
MAX_PAGE_SIZE = 5000
_KEY = APIKeyHeader(name="X-DOPA-Key", auto_error=False)


class PopulationQuery(BaseModel):
    areaCodes: list[str] = Field(description="8-digit DOPA codes: 34000000, 34010000, 34010100.")
    fromMonth: str = Field(pattern=r"^\d{6}$", description="yyyymm (CE).")
    toMonth: str = Field(pattern=r"^\d{6}$", description="yyyymm (CE).")
    page: int = Field(default=1, ge=1)
    pageSize: int = Field(default=1000, ge=1, le=MAX_PAGE_SIZE)


class PopulationItem(BaseModel):
    areaCode: str
    yyyymm: str
    population: int
    households: int


class PopulationPage(BaseModel):
    items: list[PopulationItem]
    page: int
    pageSize: int
    totalItems: int
    totalPages: int


def population(code: str, yyyymm: str) -> tuple[int, int]:
    """The registered population and households of an area in a month."""
    base = number("dopa", code, low=3_000, high=14_000) * level_scale(code)
    drift = number("dopa", code, yyyymm, low=-40, high=40) * level_scale(code)
    people = base + drift
    return people, people * 10 // number("dopa-hh", code, low=28, high=36)


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[4:])
    months: list[str] = []
    while f"{year:04d}{month:02d}" <= last and len(months) < 240:
        months.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def app() -> FastAPI:
    api = simulator_app("dopa", "DOPA civil registration statistics",
                        "Registered population and households by area and month.")

    @api.post("/stat/v1/population/query", tags=["data"], response_model=PopulationPage)
    async def query(body: PopulationQuery,
                    x_dopa_key: Annotated[str | None, Security(_KEY)] = None) -> JSONResponse:
        if x_dopa_key != API_KEY:
            raise HTTPException(401, "missing or wrong X-DOPA-Key")
        known = current_codes()
        areas = [c for c in dict.fromkeys(body.areaCodes) if len(c) == 8 and from_dopa8(c) in known]
        months = _months(body.fromMonth, body.toMonth)
        total = len(areas) * len(months)
        first = (body.page - 1) * body.pageSize
        items: list[dict[str, str | int]] = []
        for index in range(first, min(first + body.pageSize, total)):
            code, month = areas[index // len(months)], months[index % len(months)]
            people, households = population(from_dopa8(code), month)
            items.append({"areaCode": code, "yyyymm": month, "population": people,
                          "households": households})
        return JSONResponse({"items": items, "page": body.page, "pageSize": body.pageSize,
                             "totalItems": total,
                             "totalPages": max(1, -(-total // body.pageSize))})

    return api
