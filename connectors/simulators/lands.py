"""Department of Lands: land dispute cases by district and fiscal year.

The Department's own style: areas by Thai province and district names, never codes, written
the way each land office writes them (อ.เมือง…, อำเภอ…, the bare name); budget years in the
Buddhist Era; a bare JSON list with Thai keys. Some offices still report under districts that
no longer exist.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

import geothai
from fastapi import FastAPI, Query
from geothai.abolished import abolished_areas
from pydantic import BaseModel, ConfigDict, Field

from areagraph.connectors.simulators.base import number, simulator_app


class DisputeRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    province: str = Field(alias="จังหวัด")
    district: str = Field(alias="อำเภอ")
    budget_year: int = Field(alias="ปีงบประมาณ")
    disputes: int = Field(alias="จำนวนเรื่อง")


@cache
def _province_codes() -> dict[str, str]:
    return {p.name_th: p.code for p in geothai.provinces()}


def written_name(district_code: str, name: str) -> str:
    """A district's name as its land office writes it."""
    if district_code.endswith("01") and not district_code.startswith("10"):
        return "อ.เมือง"
    style = number("dol-style", district_code, low=0, high=2)
    if district_code.startswith("10"):
        return name if style else name.removeprefix("เขต")
    return (f"อำเภอ{name}", f"อ.{name}", name)[style]


def disputes(district_code: str, year_be: int) -> int:
    return number("dol", district_code, year_be, low=0, high=60)


@cache
def _rows(province_code: str) -> tuple[tuple[str, str], ...]:
    """(district code or old code, name as written) for one province."""
    rows = [(d.code, written_name(d.code, d.name_th)) for d in geothai.districts(province_code)]
    rows += [(a.code, a.name_th) for a in abolished_areas()
             if a.level == "district" and a.code.startswith(province_code) and not a.successors
             and number("dol-old", a.code, low=0, high=3) == 0]
    return tuple(rows)


def app() -> FastAPI:
    api = simulator_app("lands", "Department of Lands: land disputes",
                        "Land dispute cases by province and district name and budget year (BE).")

    @api.get("/dol/api/land-disputes", tags=["data"], response_model=list[DisputeRow],
             response_model_by_alias=True)
    async def land_disputes(changwat: Annotated[list[str], Query()],
                            fiscal_year: Annotated[list[int], Query()]) -> list[DisputeRow]:
        found: list[DisputeRow] = []
        for name in dict.fromkeys(changwat):
            province = _province_codes().get(name.strip())
            if province is None:
                continue
            for year in dict.fromkeys(fiscal_year):
                found += [DisputeRow(province=name, district=written, budget_year=year,
                                     disputes=disputes(code, year))
                          for code, written in _rows(province)]
        return found

    return api
