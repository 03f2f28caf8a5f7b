"""PWA: households served by piped water and non-revenue water loss, monthly.

The gateway authenticates with OAuth2 client credentials (Authlib renews the token); months
travel in the Buddhist Era and percentages as decimal strings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, TypeAdapter

from areagraph.connectors.base import Fetched, IndicatorValue, ValueRequest
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import months_between
from areagraph.connectors.remote import HttpConnector
from areagraph.core.clock import utcnow
from areagraph.core.periods import BE_OFFSET, month_label

_FIELDS = (("WATER_COVERAGE_PCT", "coverage_pct"), ("WATER_LOSS_PCT", "water_loss_pct"))


class _Stat(BaseModel):
    area: str
    month: str
    coverage_pct: Decimal
    water_loss_pct: Decimal
    connections: int


class _Answer(BaseModel):
    data: list[_Stat]


_ANSWER = TypeAdapter(_Answer)


class PwaConnector(HttpConnector):
    default_agency = "PWA"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted, areas = self.asked(request)
        if not wanted or not areas:
            return fetched
        months = [f"{m.year + BE_OFFSET}-{m.month:02d}"
                  for m in months_between(request.start, request.end)]
        answer = await self.http.post("/pwa/v1/service-stats", answer=_ANSWER,
                                      json={"months": months, "areas": areas})
        fetched_at = utcnow()
        for stat in answer.data:
            year_be, month = (int(x) for x in stat.month.split("-"))
            period = month_label(date(year_be - BE_OFFSET, month, 1))
            for indicator, field in _FIELDS:
                if indicator in wanted:
                    fetched.add(IndicatorValue(
                        area_code=stat.area, indicator_code=indicator, period=period,
                        value=float(getattr(stat, field)), source=self.name,
                        fetched_at=fetched_at))
        return fetched


def build(config: SourceConfig, _deps: object) -> PwaConnector:
    return PwaConnector(config)
