"""Wastewater Management Authority (องค์การจัดการน้ำเสีย): wastewater generated and treated.

A state enterprise's own style: an API key in `X-WMA-Key`; asked by province and Buddhist Era
fiscal quarter (2569Q1 is October–December 2025), it answers the subdistricts its treatment
systems serve, volumes in cubic metres as decimal strings. Meters are read by hand and typed
in, so a few rows come out wrong: a reading that is not a number, a negative one, and a plant
filed under a subdistrict code that does not exist.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from areagraph.connectors.simulators.base import SimulatorState, number, simulator_app
from areagraph.connectors.simulators.geography import subdistricts_of_province

API_KEY = "demo-wma-key"
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_KEY = APIKeyHeader(name="X-WMA-Key", auto_error=False)


class VolumeRow(BaseModel):
    tambon: str = Field(description="The subdistrict the treatment system serves.")
    quarter: str = Field(description="Buddhist Era fiscal year and quarter: 2569Q1.")
    generated_m3: str = Field(description="Cubic metres, as a decimal string.")
    treated_m3: str
    plants: int = Field(description="Treatment plants serving the subdistrict.")


class VolumeAnswer(BaseModel):
    province: list[str]
    rows: list[VolumeRow]


def served(province: str) -> tuple[str, ...]:
    """The subdistricts of a province with a public wastewater system (about one in four)."""
    return tuple(t for t in subdistricts_of_province(province)
                 if number("wma-served", t, low=0, high=3) == 0)


def volumes(tambon: str, quarter: str, state: SimulatorState | None = None
            ) -> tuple[float, float]:
    """Cubic metres generated and treated in a subdistrict in a quarter; `state` may hold
    changed figures (keys ``generated_m3|TAMBON|2569Q1`` and ``treated_m3|TAMBON|2569Q1``)."""
    generated = float(number("wma-gen", tambon, quarter, low=20_000, high=400_000))
    treated = generated * number("wma-share", tambon, quarter, low=20, high=90) / 100
    if state is not None:
        generated = state.figure(f"generated_m3|{tambon}|{quarter}", generated)
        treated = state.figure(f"treated_m3|{tambon}|{quarter}", treated)
    return generated, treated


def _typing_slips(province: str, quarter: str) -> list[dict[str, str | int]]:
    """The rows typed wrong in a province and quarter: one of each kind of slip."""
    tambons = served(province)
    if not tambons:
        return []
    first = tambons[0]
    return [
        {"tambon": first, "quarter": quarter, "generated_m3": "ไม่ได้อ่านมาตร",
         "treated_m3": "0", "plants": 1},
        {"tambon": f"{province}9999", "quarter": quarter, "generated_m3": "1200.00",
         "treated_m3": "800.00", "plants": 1},
        {"tambon": tambons[-1], "quarter": quarter, "generated_m3": "-350.00",
         "treated_m3": "0.00", "plants": 1},
    ]


def app() -> FastAPI:
    api = simulator_app("wma", "WMA wastewater volumes",
                        "Wastewater generated and treated by subdistrict and Buddhist Era "
                        "fiscal quarter (API key).")

    @api.get("/wma/api/v1/volumes", tags=["data"], response_model=VolumeAnswer)
    async def volume_rows(province: Annotated[list[str], Query()],
                          quarter: Annotated[list[str], Query(
                              description="Buddhist Era fiscal quarters: 2569Q1.")],
                          key: Annotated[str | None, Security(_KEY)] = None) -> JSONResponse:
        if key != API_KEY:
            raise HTTPException(401, "invalid API key")
        if not all(_QUARTER.match(q) for q in quarter):
            raise HTTPException(400, "quarters are Buddhist Era fiscal quarters: 2569Q1")
        state: SimulatorState = api.state.simulator
        rows: list[dict[str, str | int]] = []
        for code in dict.fromkeys(province):
            for q in dict.fromkeys(quarter):
                slips = _typing_slips(code, q)
                slipped = {str(slips[0]["tambon"]), str(slips[2]["tambon"])} if slips else set()
                for tambon in served(code):
                    if tambon in slipped:
                        continue
                    generated, treated = volumes(tambon, q, state)
                    rows.append({"tambon": tambon, "quarter": q,
                                 "generated_m3": f"{generated:.2f}",
                                 "treated_m3": f"{treated:.2f}",
                                 "plants": number("wma-plants", tambon, low=1, high=3)})
                rows += slips
        return JSONResponse({"province": list(dict.fromkeys(province)), "rows": rows})

    return api
