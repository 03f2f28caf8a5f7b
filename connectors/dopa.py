"""DOPA civil registration: registered population and households, monthly, any area level."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, TypeAdapter

from areagraph.connectors.base import Fetched, IndicatorValue, ValueRequest
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import months_between
from areagraph.connectors.remote import HttpConnector
from areagraph.core.area_codes import from_dopa8, to_dopa8
from areagraph.core.clock import utcnow
from areagraph.core.periods import month_label

_PATH = "/stat/v1/population/query"


class _Item(BaseModel):
    areaCode: str
    yyyymm: str
    population: int
    households: int


class _Page(BaseModel):
    items: list[_Item]
    page: int
    totalPages: int


_PAGE = TypeAdapter(_Page)


class DopaConnector(HttpConnector):
    default_agency = "DOPA"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted, areas = self.asked(request)
        if not wanted or not areas:
            return fetched
        months = months_between(request.start, request.end)
        body = {"areaCodes": [to_dopa8(c) for c in areas],
                "fromMonth": f"{months[0]:%Y%m}", "toMonth": f"{months[-1]:%Y%m}",
                "pageSize": self.option("page_size", 5000), "page": 1}
        fetched_at = utcnow()
        while True:
            page = await self.http.post(_PATH, json=body, answer=_PAGE)
            for item in page.items:
                period = month_label(date(int(item.yyyymm[:4]), int(item.yyyymm[4:]), 1))
                for code, value in (("POPULATION_REGISTERED", item.population),
                                    ("HOUSEHOLDS_REGISTERED", item.households)):
                    if code in wanted:
                        fetched.add(IndicatorValue(
                            area_code=from_dopa8(item.areaCode), indicator_code=code,
                            period=period, value=value, source=self.name,
                            fetched_at=fetched_at))
            if page.page >= page.totalPages:
                return fetched
            body["page"] = page.page + 1


def build(config: SourceConfig, _deps: object) -> DopaConnector:
    return DopaConnector(config)
