"""WMA: wastewater generated and treated, per subdistrict and fiscal quarter.

The source answers whole provinces in Buddhist Era fiscal quarters (2569Q1) with volumes as
decimal strings, and some rows are typed wrong by hand. Each row is read on its own: rows that
cannot be read or placed on today's map are reported, the rest are summed into the areas asked
about. An answer with nothing readable in it is a bad response, not an empty one.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, NonNegativeInt, TypeAdapter, ValidationError, field_validator

from areagraph.connectors.base import Fetched, IndicatorValue, Unmapped, ValueRequest
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import current_code, months_between, provinces_of, roll_up
from areagraph.connectors.remote import HttpConnector
from areagraph.core.clock import utcnow
from areagraph.core.errors import SourceBadResponse
from areagraph.core.periods import BE_OFFSET, fiscal_quarter_label

_PATH = "/wma/api/v1/volumes"
GENERATED = "WASTEWATER_GENERATED_M3"
TREATED = "WASTEWATER_TREATED_M3"


class _Volume(BaseModel):
    tambon: str
    quarter: str
    generated_m3: Decimal
    treated_m3: Decimal
    plants: NonNegativeInt

    @field_validator("generated_m3", "treated_m3")
    @classmethod
    def _volume(cls, value: Decimal) -> Decimal:
        if not value.is_finite() or value < 0:
            raise ValueError("a volume is a finite number of cubic metres, not below zero")
        return value

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str) -> str:
        year, _, part = value.partition("Q")
        if not (year.isdigit() and part in ("1", "2", "3", "4")):
            raise ValueError("not a Buddhist Era fiscal quarter such as 2569Q1")
        return value


class _Answer(BaseModel):
    rows: list[dict[str, Any]]


_ANSWER = TypeAdapter(_Answer)
_VOLUME = TypeAdapter(_Volume)


def quarter_be(label: str) -> str:
    """FY2026-Q1 → 2569Q1."""
    year, _, part = label.removeprefix("FY").partition("-Q")
    return f"{int(year) + BE_OFFSET}Q{part}"


def quarter_ce(text: str) -> str:
    """2569Q1 → FY2026-Q1."""
    year, _, part = text.partition("Q")
    return f"FY{int(year) - BE_OFFSET}-Q{part}"


def _read(raw: dict[str, Any]) -> tuple[_Volume | None, str]:
    try:
        return _VOLUME.validate_python(raw), ""
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "row"
        return None, f"{where}: {first['msg']}"


class WmaConnector(HttpConnector):
    default_agency = "WMA"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted, areas = self.asked(request)
        if not wanted or not areas:
            return fetched
        quarters = list(dict.fromkeys(
            quarter_be(fiscal_quarter_label(m)) for m in months_between(request.start,
                                                                        request.end)))
        params = [("province", p) for p in provinces_of(areas)]
        params += [("quarter", q) for q in quarters]
        answer = await self.http.get(_PATH, params=params, answer=_ANSWER)
        leaves: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        readable = 0
        for index, raw in enumerate(answer.rows):
            row, problem = _read(raw)
            key = f"row {index}: {raw.get('tambon', '?')} {raw.get('quarter', '?')}"
            if row is None:
                fetched.unmapped.append(Unmapped(source=self.name, key=key, reason=problem))
                continue
            readable += 1
            code, reason = current_code(row.tambon)
            if code is None:
                fetched.unmapped.append(Unmapped(source=self.name, key=key,
                                                 reason=reason or "unknown code"))
                continue
            period = quarter_ce(row.quarter)
            for indicator, volume in ((GENERATED, row.generated_m3), (TREATED, row.treated_m3)):
                if indicator in wanted:
                    leaves[(indicator, period)][code] += float(volume)
        if answer.rows and not readable:
            raise SourceBadResponse(f"{self.name} answered no readable row", source=self.name,
                                    reason="unreadable")
        fetched_at = utcnow()
        for (indicator, period), by_code in sorted(leaves.items()):
            for area, total in roll_up(by_code, areas).items():
                fetched.add(IndicatorValue(area_code=area, indicator_code=indicator,
                                           period=period, value=round(total, 2),
                                           source=self.name, fetched_at=fetched_at))
        return fetched


def build(config: SourceConfig, _deps: object) -> WmaConnector:
    return WmaConnector(config)
