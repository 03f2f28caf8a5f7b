"""Department of Lands: land dispute cases per district and fiscal year.

The source knows areas only by Thai names. Names are resolved to today's district codes
(geothai); what cannot be resolved is reported, not guessed.
"""

from __future__ import annotations

from collections import defaultdict

import geothai
from pydantic import BaseModel, Field, TypeAdapter

from areagraph.connectors.base import Fetched, IndicatorValue, Unmapped, ValueRequest
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import (
    district_by_name,
    fiscal_years_between,
    province_by_name,
    roll_up,
)
from areagraph.connectors.remote import HttpConnector
from areagraph.core.area_codes import depth_of, related
from areagraph.core.clock import utcnow
from areagraph.core.periods import be_to_ce, ce_to_be

DISPUTES = "LAND_DISPUTES"


class _Row(BaseModel):
    province: str = Field(alias="จังหวัด")
    district: str = Field(alias="อำเภอ")
    budget_year: int = Field(alias="ปีงบประมาณ")
    disputes: int = Field(alias="จำนวนเรื่อง")


_ROWS = TypeAdapter(list[_Row])


class LandsConnector(HttpConnector):
    default_agency = "DOL"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        areas = [c for c in request.area_codes if depth_of(c) <= 4]  # districts and above only
        if DISPUTES not in request.indicator_codes or not areas:
            return fetched
        provinces = sorted({p.name_th for p in geothai.provinces()
                            if any(related(a, p.code) for a in areas)})
        params = [("changwat", name) for name in provinces]
        params += [("fiscal_year", str(ce_to_be(y)))
                   for y in fiscal_years_between(request.start, request.end)]
        rows = await self.http.get("/dol/api/land-disputes", params=params, answer=_ROWS)
        leaves: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        unresolved: set[tuple[str, str]] = set()
        for row in rows:
            province = province_by_name(row.province)
            district = district_by_name(province, row.district) if province else None
            if district is None:
                unresolved.add((row.province, row.district))
                continue
            leaves[be_to_ce(row.budget_year)][district] += row.disputes
        fetched_at = utcnow()
        for year, by_district in sorted(leaves.items()):
            for area, total in roll_up(by_district, areas).items():
                fetched.add(IndicatorValue(area_code=area, indicator_code=DISPUTES,
                                           period=f"FY{year}", value=total, source=self.name,
                                           fetched_at=fetched_at))
        fetched.unmapped = [
            Unmapped(source=self.name, key=f"{province}/{district}",
                     reason="no district of this name in the province today")
            for province, district in sorted(unresolved)]
        return fetched


def build(config: SourceConfig, _deps: object) -> LandsConnector:
    return LandsConnector(config)
