"""CDD basic-minimum-needs (จปฐ.) and Thai QM survey: households surveyed and in need.

The CDD system's own style: asked by province (changwat) and Buddhist Era year (pee), it answers
every subdistrict (tambon) of those provinces, one row per ThaiQM dimension named in Thai. Some
rows are still keyed by subdistrict codes abolished years ago.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from geothai.abolished import abolished_areas
from pydantic import BaseModel

from connectors.simulators.base import number, simulator_app
from connectors.simulators.geography import subdistricts_of_province

DIMENSIONS = ("สุขภาพ", "ความเป็นอยู่", "การศึกษา", "รายได้", "การเข้าถึงบริการรัฐ")


class SurveyRecord(BaseModel):
    tambon_id: str
    pee: int
    dimension: str
    surveyed_hh: int
    need_hh: int


class SurveyAnswer(BaseModel):
    status: str
    records: list[SurveyRecord]


def survey(tambon: str, year_be: int, dimension: str) -> tuple[int, int]:
    """Households surveyed, and in need on one dimension, for a subdistrict and year."""
    surveyed = number("cdd", tambon, year_be, low=300, high=2_500)
    return surveyed, number("cdd", tambon, year_be, dimension, low=0, high=surveyed // 5)


@cache
def legacy_key() -> dict[str, str]:
    """Today's subdistricts whose rows the CDD system still files under an abolished code."""
    keys: dict[str, str] = {}
    for old in sorted(abolished_areas(), key=lambda a: a.code):
        if len(old.successors) == 1:
            keys.setdefault(old.successors[0], old.code)
    return keys


@cache
def _leftovers(province: str) -> tuple[str, ...]:
    """Abolished codes in a province that no longer map to exactly one subdistrict."""
    return tuple(a.code for a in abolished_areas()
                 if a.level == "subdistrict" and a.code.startswith(province)
                 and len(a.successors) != 1 and number("cdd-old", a.code, low=0, high=9) == 0)


@cache
def _rows_by_province(province: str) -> tuple[tuple[str, str], ...]:
    """(key the system files the row under, subdistrict whose figures it holds)."""
    if province == "10":
        return ()  # the basic-minimum-needs survey does not cover Bangkok
    keys = legacy_key()
    rows: list[tuple[str, str]] = []
    for tambon, old in keys.items():
        if old.startswith(province):
            rows.append((old, tambon))
    rows += [(t, t) for t in subdistricts_of_province(province) if t not in keys]
    rows += [(old, old) for old in _leftovers(province)]
    return tuple(sorted(rows))


def app() -> FastAPI:
    api = simulator_app("cdd", "CDD basic minimum needs and Thai QM survey",
                        "Households surveyed and in need per ThaiQM dimension, by tambon and "
                        "Buddhist Era year.")

    @api.get("/jpt/api/v2/survey", tags=["data"], response_model=SurveyAnswer)
    async def survey_rows(changwat: Annotated[list[str], Query()],
                          pee: Annotated[list[int], Query()]) -> JSONResponse:
        records = [
            {"tambon_id": key, "pee": year, "dimension": dimension,
             "surveyed_hh": (figures := survey(tambon, year, dimension))[0],
             "need_hh": figures[1]}
            for province in dict.fromkeys(changwat) for year in dict.fromkeys(pee)
            for key, tambon in _rows_by_province(province) for dimension in DIMENSIONS
        ]
        return JSONResponse({"status": "success", "records": records})

    return api
