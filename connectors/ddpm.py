"""DDPM disaster declarations: events per area and households in declared areas per month.

One declaration lists many subdistricts; it becomes one event for every area asked about that
holds any of them, with the households affected inside that area.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, TypeAdapter

from areagraph.connectors.base import (
    EventRequest,
    Fetched,
    IndicatorValue,
    SourceEvent,
    Unmapped,
    ValueRequest,
)
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import current_code, provinces_of, roll_up
from areagraph.connectors.remote import HttpConnector
from areagraph.core.area_codes import is_within
from areagraph.core.clock import utcnow
from areagraph.core.periods import BE_OFFSET, month_label

_PATH = "/api/declarations"
_KINDS = {"FLOOD": "flood", "DROUGHT": "drought", "STORM": "storm"}
_TITLES = {"flood": "ประกาศเขตพื้นที่ประสบอุทกภัย", "drought": "ประกาศเขตพื้นที่ประสบภัยแล้ง",
           "storm": "ประกาศเขตพื้นที่ประสบวาตภัย"}
DECLARED_HH = "DISASTER_DECLARED_HH"


class _Declaration(BaseModel):
    declaration_no: str
    hazard: str
    declared_on: str
    ended_on: str | None
    area_codes: list[str]
    affected_households: dict[str, int]


class _List(BaseModel):
    declarations: list[_Declaration]


_LIST = TypeAdapter(_List)


def _be_date(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year - BE_OFFSET, month, day)


def _be_text(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


@dataclass(frozen=True)
class _Placed:
    """A declaration with today's codes and its households by code."""

    declaration: _Declaration
    kind: str
    declared_on: date
    ended_on: date | None
    households: dict[str, int]


class DdpmConnector(HttpConnector):
    default_agency = "DDPM"
    event_kinds = frozenset(_KINDS.values())

    async def _declarations(self, area_codes: tuple[str, ...], start: date, end: date,
                            fetched: Fetched[IndicatorValue] | Fetched[SourceEvent]
                            ) -> list[_Placed]:
        params = [("province", p) for p in provinces_of(area_codes)]
        params += [("date_from", _be_text(start)), ("date_to", _be_text(end))]
        answer = await self.http.get(_PATH, params=params, answer=_LIST)
        placed: list[_Placed] = []
        for item in answer.declarations:
            kind = _KINDS.get(item.hazard)
            try:
                declared = _be_date(item.declared_on)
                ended = _be_date(item.ended_on) if item.ended_on else None
            except ValueError:
                kind = None
            if kind is None:
                fetched.unmapped.append(Unmapped(source=self.name, key=item.declaration_no,
                                                 reason="unknown hazard or unreadable date"))
                continue
            households: dict[str, int] = {}
            for old in item.area_codes:
                code, reason = current_code(old)
                if code is None:
                    fetched.unmapped.append(Unmapped(
                        source=self.name, key=f"{item.declaration_no}:{old}",
                        reason=reason or "unknown code"))
                    continue
                households[code] = households.get(code, 0) + item.affected_households.get(old, 0)
            placed.append(_Placed(declaration=item, kind=kind, declared_on=declared,
                                  ended_on=ended, households=households))
        return placed

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]:
        fetched: Fetched[SourceEvent] = Fetched()
        kinds = set(request.kinds) & self.provides.event_kinds
        if not kinds or not request.area_codes:
            return fetched
        fetched_at = utcnow()
        for item in await self._declarations(request.area_codes, request.start, request.end,
                                             fetched):
            if item.kind not in kinds:
                continue
            for area in request.area_codes:
                inside = [c for c in item.households if is_within(c, area)]
                if not inside:
                    continue
                fetched.add(SourceEvent(
                    area_code=area, kind=item.kind, reference=item.declaration.declaration_no,
                    title=_TITLES[item.kind], area_codes=tuple(item.households),
                    started_on=item.declared_on, ended_on=item.ended_on,
                    status="ended" if item.ended_on else "declared",
                    households_affected=sum(item.households[c] for c in inside),
                    source=self.name, fetched_at=fetched_at))
        return fetched

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        if DECLARED_HH not in request.indicator_codes or not request.area_codes:
            return fetched
        by_month: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for item in await self._declarations(request.area_codes, request.start, request.end,
                                             fetched):
            for code, households in item.households.items():
                by_month[month_label(item.declared_on)][code] += households
        fetched_at = utcnow()
        for period, leaves in sorted(by_month.items()):
            for area, total in roll_up(leaves, request.area_codes).items():
                fetched.add(IndicatorValue(area_code=area, indicator_code=DECLARED_HH,
                                           period=period, value=total, source=self.name,
                                           fetched_at=fetched_at))
        return fetched


def build(config: SourceConfig, _deps: object) -> DdpmConnector:
    return DdpmConnector(config)

