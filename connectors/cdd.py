"""CDD: households surveyed (จปฐ.), in need per ThaiQM dimension and on any, TPMAP target-poor
persons, the share in need, and Thai QM cases by dimension, agency and status, per fiscal year.

The source answers whole provinces in Buddhist Era years, with dimensions and case statuses named
in Thai and some rows under abolished subdistrict codes; this connector maps old codes to
today's, sums subdistricts into the areas asked about, and reports rows it cannot place. The
source gives counts only, so no household identity can reach the gateway.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from areagraph.connectors.base import Fetched, IndicatorValue, Unmapped, ValueRequest
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.mapping import (
    current_code,
    fiscal_years_between,
    provinces_with_legacy_rows,
    roll_up,
)
from areagraph.connectors.remote import HttpConnector
from areagraph.core.clock import utcnow
from areagraph.core.periods import be_to_ce, ce_to_be

_PATH = "/jpt/api/v2/survey"
_CASES_PATH = "/thaiqm/api/v1/cases"
DIMENSION_KEYS = {"สุขภาพ": "HEALTH", "ความเป็นอยู่": "LIVING", "การศึกษา": "EDUCATION",
                  "รายได้": "INCOME", "การเข้าถึงบริการรัฐ": "ACCESS"}
DIMENSION_INDICATORS = {th: f"THAIQM_{key}_HH" for th, key in DIMENSION_KEYS.items()}
SURVEYED = "BMN_HH_SURVEYED"
NEED_ANY = "THAIQM_NEED_ANY_HH"
NEED_SHARE = "THAIQM_NEED_SHARE_PCT"
TARGET_POOR = "TPMAP_TARGET_POOR"
CASE_STATUSES = {"พบปัญหา": "FOUND", "อยู่ระหว่างการช่วยเหลือ": "HELPING", "แก้ไขแล้ว": "RESOLVED"}
CASE_AGENCIES = ("CDD", "DLA", "DOPA", "MOE", "MOPH", "MSDHS")


def helped_code(dimension_key: str) -> str:
    """Households in need on a dimension whose case is resolved."""
    return f"THAIQM_{dimension_key}_HELPED_HH"


def cases_code(status_key: str, agency: str | None = None) -> str:
    return f"THAIQM_CASES_{status_key}" + (f"_{agency}" if agency else "")


_PER_TAMBON = (SURVEYED, NEED_ANY, TARGET_POOR)


# Typed dicts, not models: an answer holds every subdistrict of whole provinces five times
# over (tens of thousands of records), checked ~3× faster without building an object for each.
class _Record(TypedDict):
    tambon_id: str
    pee: int
    dimension: str
    surveyed_hh: int
    need_hh: int
    need_any_hh: int
    target_poor_persons: int


class _Answer(TypedDict):
    records: list[_Record]


class _Case(TypedDict):
    tambon_id: str
    pee: int
    dimension: str
    agency: str
    status: str
    cases: int


class _Cases(TypedDict):
    records: list[_Case]


_ANSWER = TypeAdapter(_Answer)
_CASES = TypeAdapter(_Cases)
_Leaves = dict[tuple[str, int], dict[str, float]]


class CddConnector(HttpConnector):
    default_agency = "CDD"

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted = set(request.indicator_codes) & self.provides.indicators
        if not wanted or not request.area_codes:
            return fetched
        if NEED_SHARE in wanted:
            wanted |= {NEED_ANY, SURVEYED}
        years = fiscal_years_between(request.start, request.end)
        params = [("changwat", p) for p in provinces_with_legacy_rows(request.area_codes)]
        params += [("pee", str(ce_to_be(year))) for year in years]
        leaves: _Leaves = defaultdict(lambda: defaultdict(float))
        unmapped: dict[str, str] = {}
        if wanted & (set(DIMENSION_INDICATORS.values()) | set(_PER_TAMBON)):
            answer = await self.http.get(_PATH, params=params, answer=_ANSWER)
            _survey_leaves(answer["records"], wanted, leaves, unmapped)
        if any(code.startswith("THAIQM_CASES_") or code.endswith("_HELPED_HH")
               for code in wanted):
            cases = await self.http.get(_CASES_PATH, params=params, answer=_CASES)
            _case_leaves(cases["records"], wanted, leaves, unmapped)
        fetched_at = utcnow()
        totals: dict[tuple[str, int], dict[str, float]] = {
            key: roll_up(by_code, request.area_codes) for key, by_code in leaves.items()}
        if NEED_SHARE in request.indicator_codes:
            for year in years:
                need, surveyed = totals.get((NEED_ANY, year), {}), totals.get((SURVEYED, year), {})
                totals[(NEED_SHARE, year)] = {
                    area: round(100 * need.get(area, 0.0) / count, 2)
                    for area, count in surveyed.items() if count}
        for (indicator, year), by_area in sorted(totals.items()):
            if indicator not in request.indicator_codes:
                continue
            for area, total in by_area.items():
                fetched.add(IndicatorValue(area_code=area, indicator_code=indicator,
                                           period=f"FY{year}", value=total, source=self.name,
                                           fetched_at=fetched_at))
        fetched.unmapped = [Unmapped(source=self.name, key=key, reason=reason)
                            for key, reason in sorted(unmapped.items())]
        return fetched


def _placed(tambon: str, dimension: str, unmapped: dict[str, str]) -> str | None:
    """Today's code for a row's subdistrict, or None (and why, in `unmapped`)."""
    code, reason = current_code(tambon)
    if code is None or dimension not in DIMENSION_KEYS:
        unmapped[tambon] = reason or f"unknown dimension {dimension!r}"
        return None
    return code


def _survey_leaves(records: list[_Record], wanted: set[str], leaves: _Leaves,
                   unmapped: dict[str, str]) -> None:
    per_tambon = [(code, field) for code, field in zip(
        _PER_TAMBON, ("surveyed_hh", "need_any_hh", "target_poor_persons"), strict=True)
        if code in wanted]
    seen: set[tuple[str, int]] = set()
    for record in records:
        tambon = record["tambon_id"]
        code = _placed(tambon, record["dimension"], unmapped)
        if code is None:
            continue
        year = be_to_ce(record["pee"])
        indicator = DIMENSION_INDICATORS[record["dimension"]]
        if indicator in wanted:
            leaves[(indicator, year)][code] += record["need_hh"]
        if per_tambon and (tambon, year) not in seen:  # repeated on each dimension's row
            seen.add((tambon, year))
            for indicator, field in per_tambon:
                leaves[(indicator, year)][code] += record[field]  # type: ignore[literal-required]


def _case_leaves(records: list[_Case], wanted: set[str], leaves: _Leaves,
                 unmapped: dict[str, str]) -> None:
    for record in records:
        code = _placed(record["tambon_id"], record["dimension"], unmapped)
        status = CASE_STATUSES.get(record["status"])
        if code is None or status is None:
            if code is not None:
                unmapped[record["tambon_id"]] = f"unknown case status {record['status']!r}"
            continue
        year = be_to_ce(record["pee"])
        targets = [cases_code(status), cases_code(status, record["agency"])]
        if status == "RESOLVED":
            targets.append(helped_code(DIMENSION_KEYS[record["dimension"]]))
        for indicator in targets:
            if indicator in wanted:
                leaves[(indicator, year)][code] += record["cases"]


def build(config: SourceConfig, _deps: object) -> CddConnector:
    return CddConnector(config)
