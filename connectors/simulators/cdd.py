"""CDD basic-minimum-needs (จปฐ.), TPMAP and Thai QM: households in need and their cases.

The CDD system's own style: asked by province (changwat) and Buddhist Era year (pee), it answers
every subdistrict (tambon) of those provinces, one row per ThaiQM dimension named in Thai (with
the subdistrict's households in need on any dimension and its TPMAP target-poor persons
repeated on each), and the Thai QM cases of each dimension by the agency helping and the case's
status in Thai. Some rows are still keyed by subdistrict codes abolished years ago. Only counts
leave the system: no household is named.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from areagraph.connectors.simulators.base import number, simulator_app
from areagraph.connectors.simulators.geography import (
    legacy_key,
    split_codes,
    subdistricts_of_province,
)

DIMENSIONS = ("สุขภาพ", "ความเป็นอยู่", "การศึกษา", "รายได้", "การเข้าถึงบริการรัฐ")


# The agencies Thai QM routes each dimension's cases to, and the case statuses it reports.
CASE_AGENCIES = {"สุขภาพ": ("MOPH",), "ความเป็นอยู่": ("DLA", "MSDHS"),
                 "การศึกษา": ("MOE",), "รายได้": ("CDD", "MSDHS"),
                 "การเข้าถึงบริการรัฐ": ("DOPA",)}
CASE_STATUSES = ("พบปัญหา", "อยู่ระหว่างการช่วยเหลือ", "แก้ไขแล้ว")  # found, helping, resolved


class SurveyRecord(BaseModel):
    tambon_id: str
    pee: int
    dimension: str
    surveyed_hh: int
    need_hh: int
    need_any_hh: int
    target_poor_persons: int


class SurveyAnswer(BaseModel):
    status: str
    records: list[SurveyRecord]


class CaseRecord(BaseModel):
    tambon_id: str
    pee: int
    dimension: str
    agency: str
    status: str
    cases: int


class CaseAnswer(BaseModel):
    status: str
    records: list[CaseRecord]


def survey(tambon: str, year_be: int, dimension: str) -> tuple[int, int]:
    """Households surveyed, and in need on one dimension, for a subdistrict and year."""
    surveyed = number("cdd", tambon, year_be, low=300, high=2_500)
    return surveyed, number("cdd", tambon, year_be, dimension, low=0, high=surveyed // 5)


def poverty(tambon: str, year_be: int) -> tuple[int, int]:
    """Households in need on at least one dimension, and TPMAP target-poor persons."""
    surveyed = survey(tambon, year_be, DIMENSIONS[0])[0]
    widest = max(survey(tambon, year_be, d)[1] for d in DIMENSIONS)
    need_any = number("cdd-any", tambon, year_be, low=widest, high=max(widest, surveyed // 3))
    return need_any, number("tpmap", tambon, year_be, low=need_any, high=need_any * 3)


def cases(tambon: str, year_be: int, dimension: str) -> dict[tuple[str, str], int]:
    """Thai QM cases of one dimension by (agency, status): one case per household in need,
    later years further along."""
    remaining = survey(tambon, year_be, dimension)[1]
    agencies = CASE_AGENCIES[dimension]
    found: dict[tuple[str, str], int] = {}
    for index, agency in enumerate(agencies):
        share = remaining if index == len(agencies) - 1 else remaining // 2
        remaining -= share
        progress = min(90, 30 + 10 * max(0, year_be - 2566))
        resolved = share * number("qm-ok", tambon, year_be, agency, low=0, high=progress) // 100
        helping = (share - resolved) * number("qm-on", tambon, year_be, agency,
                                              low=20, high=80) // 100
        for status, count in zip(CASE_STATUSES, (share - resolved - helping, helping, resolved),
                                 strict=True):
            found[(agency, status)] = count
    return found


def _leftovers(province: str) -> tuple[str, ...]:
    """Abolished codes in a province that no longer map to exactly one subdistrict."""
    return split_codes("cdd-old", province)


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


def _keys(changwat: list[str], pee: list[int]) -> list[tuple[str, str, int]]:
    return [(key, tambon, year) for province in dict.fromkeys(changwat)
            for year in dict.fromkeys(pee) for key, tambon in _rows_by_province(province)]


def app() -> FastAPI:
    api = simulator_app("cdd", "CDD basic minimum needs, TPMAP and Thai QM",
                        "Households surveyed and in need per ThaiQM dimension, target-poor "
                        "persons, and Thai QM cases by agency and status, by tambon and "
                        "Buddhist Era year. Counts only.")

    @api.get("/jpt/api/v2/survey", tags=["data"], response_model=SurveyAnswer)
    async def survey_rows(changwat: Annotated[list[str], Query()],
                          pee: Annotated[list[int], Query()]) -> JSONResponse:
        records = [
            {"tambon_id": key, "pee": year, "dimension": dimension,
             "surveyed_hh": (figures := survey(tambon, year, dimension))[0],
             "need_hh": figures[1], "need_any_hh": (poor := poverty(tambon, year))[0],
             "target_poor_persons": poor[1]}
            for key, tambon, year in _keys(changwat, pee) for dimension in DIMENSIONS
        ]
        return JSONResponse({"status": "success", "records": records})

    @api.get("/thaiqm/api/v1/cases", tags=["data"], response_model=CaseAnswer,
             summary="Thai QM cases per tambon, dimension, agency and status (counts only)")
    async def case_rows(changwat: Annotated[list[str], Query()],
                        pee: Annotated[list[int], Query()]) -> JSONResponse:
        records = [
            {"tambon_id": key, "pee": year, "dimension": dimension, "agency": agency,
             "status": status, "cases": count}
            for key, tambon, year in _keys(changwat, pee) for dimension in DIMENSIONS
            for (agency, status), count in cases(tambon, year, dimension).items()
        ]
        return JSONResponse({"status": "success", "records": records})

    return api
