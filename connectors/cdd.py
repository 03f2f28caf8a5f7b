"""CDD survey: households surveyed (จปฐ.) and in need per ThaiQM dimension, per fiscal year.

The source answers whole provinces in Buddhist Era years, with dimensions named in Thai and some
rows under abolished subdistrict codes; this connector maps old codes to today's, sums
subdistricts into the areas asked about, and reports rows it cannot place.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from connectors.base import Fetched, IndicatorValue, Unmapped, ValueRequest
from connectors.config import SourceConfig
from connectors.local.clock import utcnow
from connectors.mapping import (
    current_code,
    fiscal_years_between,
    provinces_with_legacy_rows,
    roll_up,
)
from connectors.periods import be_to_ce, ce_to_be
from connectors.remote import HttpConnector

_PATH = "/jpt/api/v2/survey"
DIMENSION_INDICATORS = {
    "สุขภาพ": "THAIQM_HEALTH_HH",
    "ความเป็นอยู่": "THAIQM_LIVING_HH",
    "การศึกษา": "THAIQM_EDUCATION_HH",
    "รายได้": "THAIQM_INCOME_HH",
    "การเข้าถึงบริการรัฐ": "THAIQM_ACCESS_HH",
}
SURVEYED = "BMN_HH_SURVEYED"


# Typed dicts, not models: an answer holds every subdistrict of whole provinces five times
# over (tens of thousands of records), checked ~3× faster without building an object for each.
class _Record(TypedDict):
    tambon_id: str
    pee: int
    dimension: str
    surveyed_hh: int
    need_hh: int


class _Answer(TypedDict):
    records: list[_Record]


_ANSWER = TypeAdapter(_Answer)


class CddConnector(HttpConnector):
    default_agency = "CDD"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted = set(request.indicator_codes) & self.provides.indicators
        if not wanted or not request.area_codes:
            return fetched
        years = fiscal_years_between(request.start, request.end)
        params = [("changwat", p) for p in provinces_with_legacy_rows(request.area_codes)]
        params += [("pee", str(ce_to_be(year))) for year in years]
        answer = await self.http.get(_PATH, params=params, answer=_ANSWER)
        leaves: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        unmapped: dict[str, str] = {}
        surveyed_seen: set[tuple[str, int]] = set()
        want_surveyed = SURVEYED in wanted
        for record in answer["records"]:
            tambon = record["tambon_id"]
            code, reason = current_code(tambon)
            indicator = DIMENSION_INDICATORS.get(record["dimension"])
            if code is None or indicator is None:
                unmapped[tambon] = reason or f"unknown dimension {record['dimension']!r}"
                continue
            year = be_to_ce(record["pee"])
            if indicator in wanted:
                leaves[(indicator, year)][code] += record["need_hh"]
            if want_surveyed and (tambon, year) not in surveyed_seen:
                surveyed_seen.add((tambon, year))
                leaves[(SURVEYED, year)][code] += record["surveyed_hh"]
        fetched_at = utcnow()
        for (indicator, year), by_code in sorted(leaves.items()):
            for area, total in roll_up(by_code, request.area_codes).items():
                fetched.add(IndicatorValue(area_code=area, indicator_code=indicator,
                                           period=f"FY{year}", value=total, source=self.name,
                                           fetched_at=fetched_at))
        fetched.unmapped = [Unmapped(source=self.name, key=key, reason=reason)
                            for key, reason in sorted(unmapped.items())]
        return fetched


def build(config: SourceConfig, _deps: object) -> CddConnector:
    return CddConnector(config)
