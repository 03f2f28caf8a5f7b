"""A small REST facade for partners who do not use GraphQL: areas, indicators and indicator
values by area and period, as JSON or CSV. Each endpoint runs a fixed GraphQL operation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from strawberry import Schema

from areagraph.api.rest.operations import ContextGetter, Operations, operations_dependency
from areagraph.api.rest.tabular import CSV_RESPONSE, respond
from areagraph.core.area_codes import AREA_CODE_PATTERN
from areagraph.core.errors import NotFound
from areagraph.schema.enums import Topic

AreaCode = Annotated[str, Path(pattern=AREA_CODE_PATTERN,
                               description="DOPA code: TH, 2, 4, 6 or 8 digits.",
                               examples=["34"])]


class Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ErrorOut(Out):
    code: str = Field(description="What a client can switch on, e.g. BAD_USER_INPUT.")
    message: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in (
        (400, "Bad input"), (401, "No or bad credentials"), (403, "Not allowed"),
        (429, "Rate limited"))
}


class Level(StrEnum):
    COUNTRY = "country"
    PROVINCE = "province"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"


class AreaOut(Out):
    code: str
    level: str
    name_th: str
    name_en: str
    parent_code: str | None
    postal_codes: list[str]


class AreaPage(Out):
    items: list[AreaOut]
    total_count: int
    next_cursor: str | None = Field(description="Pass as `after` for the next page.")


class IndicatorOut(Out):
    code: str
    name_th: str
    name_en: str
    unit: str
    topic: str
    sdg_codes: list[str]
    aggregation: str
    period_type: str


class IndicatorList(Out):
    items: list[IndicatorOut]


class ValueOut(Out):
    area_code: str
    area_name_th: str
    area_name_en: str
    indicator_code: str
    period: str
    year_be: int = Field(description="Buddhist Era year of the period.")
    value: float
    source: str = Field(description="The source system: local (entered here) or the agency's "
                                    "system the figure was synced from.")
    revision: int
    recorded_at: datetime = Field(description="When this revision was recorded (UTC).")


class ValueList(Out):
    items: list[ValueOut]


_AREA = "code level nameTh nameEn postalCodes parent { code }"
AREAS = f"""query RestAreas($level: AreaLevel, $parent: String, $search: String, $first: Int,
  $after: String) {{
  areas(level: $level, parentCode: $parent, search: $search, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {_AREA} }} }}
  }}
}}"""
AREA = f'query RestArea($code: String!) {{ area(code: $code) {{ {_AREA} }} }}'
INDICATORS = """query RestIndicators($topic: Topic, $sdgGoal: String) {
  indicators(topic: $topic, sdgGoal: $sdgGoal) {
    code nameTh nameEn unit topic sdgCodes aggregation periodType
  }
}"""
_VALUES = ("code nameTh nameEn observations(indicatorCode: $indicator, from: $from, to: $to) "
           "{ indicatorCode period yearBE value source revision recordedAt }")
VALUES = f"""query RestValues($code: String!, $indicator: String!, $from: String, $to: String) {{
  area(code: $code) {{ {_VALUES} }}
}}"""
CHILD_VALUES = f"""query RestChildValues($code: String!, $indicator: String!, $from: String,
  $to: String) {{
  area(code: $code) {{ children {{ {_VALUES} }} }}
}}"""


def _area(node: dict[str, Any]) -> AreaOut:
    return AreaOut(code=node["code"], level=node["level"].lower(), name_th=node["nameTh"],
                   name_en=node["nameEn"], postal_codes=node["postalCodes"],
                   parent_code=(node["parent"] or {}).get("code"))


def _values(area: dict[str, Any]) -> list[ValueOut]:
    return [ValueOut(area_code=area["code"], area_name_th=area["nameTh"],
                     area_name_en=area["nameEn"], indicator_code=o["indicatorCode"],
                     period=o["period"], year_be=o["yearBE"], value=o["value"],
                     source=o["source"], revision=o["revision"],
                     recorded_at=o["recordedAt"]) for o in area["observations"]]


def rest_router(schema: Schema, context_getter: ContextGetter) -> APIRouter:
    operations = operations_dependency(schema, context_getter)
    router = APIRouter(prefix="/api/v1", tags=["areas and indicators"],
                       dependencies=[Depends(HTTPBearer(auto_error=False))],
                       responses=ERROR_RESPONSES)

    @router.get("/areas", response_model=AreaPage, responses=CSV_RESPONSE,
                summary="Areas by level, parent or name")
    async def list_areas(
        request: Request,
        level: Level | None = None,
        parent: Annotated[str | None, Query(pattern=AREA_CODE_PATTERN)] = None,
        search: Annotated[str | None, Query(max_length=100)] = None,
        first: Annotated[int, Query(ge=0, le=1000)] = 50,
        after: Annotated[str | None, Query(max_length=200)] = None,
        ops: Operations = Depends(operations),
    ) -> Response:
        data = await ops.run(AREAS, {"level": level.name if level else None, "parent": parent,
                                     "search": search, "first": first, "after": after})
        found = data["areas"]
        items = [_area(e["node"]) for e in found["edges"]]
        info = found["pageInfo"]
        page = AreaPage(items=items, total_count=found["totalCount"],
                        next_cursor=info["endCursor"] if info["hasNextPage"] else None)
        return respond(request, page, items, "areas")

    @router.get("/areas/{code}", response_model=AreaOut, summary="One area",
                responses={404: {"model": ErrorOut, "description": "No such area"}})
    async def get_area(code: AreaCode, ops: Operations = Depends(operations)) -> AreaOut:
        found = (await ops.run(AREA, {"code": code}))["area"]
        if found is None:
            raise NotFound(f"no area {code}")
        return _area(found)

    @router.get("/indicators", response_model=IndicatorList, responses=CSV_RESPONSE,
                summary="The indicator catalogue")
    async def list_indicators(
        request: Request,
        topic: Topic | None = None,
        sdg_goal: Annotated[str | None, Query(alias="sdgGoal", max_length=10)] = None,
        ops: Operations = Depends(operations),
    ) -> Response:
        rows = (await ops.run(INDICATORS, {"topic": topic.name if topic else None,
                                           "sdgGoal": sdg_goal}))["indicators"]
        items = [IndicatorOut(code=r["code"], name_th=r["nameTh"], name_en=r["nameEn"],
                              unit=r["unit"], topic=r["topic"].lower(), sdg_codes=r["sdgCodes"],
                              aggregation=r["aggregation"].lower(),
                              period_type=r["periodType"].lower()) for r in rows]
        return respond(request, IndicatorList(items=items), items, "indicators")

    @router.get("/areas/{code}/values", response_model=ValueList,
                responses={**CSV_RESPONSE, 404: {"model": ErrorOut, "description": "No area"}},
                summary="An indicator's values for an area (or its children) by period")
    async def area_values(
        request: Request, code: AreaCode,
        indicator: Annotated[str, Query(min_length=1, max_length=64,
                                        examples=["SAFE_WATER_PCT"])],
        from_: Annotated[str | None, Query(alias="from", max_length=16,
                                           description="First period: 2026-01, 2026-Q1, "
                                                       "2026, FY2026.")] = None,
        to: Annotated[str | None, Query(max_length=16, description="Last period.")] = None,
        children: Annotated[bool, Query(description="Values of the area's children instead.")
                            ] = False,
        ops: Operations = Depends(operations),
    ) -> Response:
        variables = {"code": code, "indicator": indicator, "from": from_, "to": to}
        data = await ops.run(CHILD_VALUES if children else VALUES, variables)
        area = data["area"]
        if area is None:
            raise NotFound(f"no area {code}")
        items = [v for a in (area["children"] if children else [area]) for v in _values(a)]
        return respond(request, ValueList(items=items), items, f"{indicator}-{code}")

    return router
