"""Helpers that put source rows on today's DOPA map: codes, old codes, names, roll-ups, months."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache

import geothai
from geothai.abolished import abolished_areas

from areagraph.core.area_codes import lineage_of, province_of
from areagraph.core.periods import fiscal_year_of


def provinces_of(codes: Iterable[str]) -> list[str]:
    """The provinces the areas lie in; the whole country for TH."""
    found: set[str] = set()
    for code in codes:
        province = province_of(code)
        if province is None:
            return [p.code for p in geothai.provinces()]
        found.add(province)
    return sorted(found)


@cache
def _abolished() -> dict[str, tuple[str, ...]]:
    return {a.code: tuple(a.successors) for a in abolished_areas()}


@cache
def _predecessors() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for old, successors in _abolished().items():
        if len(successors) == 1:
            found[successors[0]].append(old)
    return {code: tuple(olds) for code, olds in found.items()}


def successors_of_abolished(code: str) -> tuple[str, ...] | None:
    """Today's codes for an abolished code; None when the code was never abolished."""
    return _abolished().get(code)


def abolished_predecessors(code: str) -> tuple[str, ...]:
    """Abolished codes whose one successor is `code` (old rows may still carry them)."""
    return _predecessors().get(code, ())


@cache
@cache  # static reference data; a survey repeats each code once per dimension and year
def current_code(code: str) -> tuple[str | None, str | None]:
    """Today's code for a subdistrict code a source holds, or None and the reason why not."""
    if geothai.subdistrict(code) is not None:
        return code, None
    successors = successors_of_abolished(code)
    if successors is None:
        return None, "unknown code"
    if not successors:
        return None, "abolished code with no successor"
    if len(successors) > 1:
        return None, f"abolished code split into {', '.join(successors)}"
    return successors[0], None


@cache
def _province_codes_by_name() -> dict[str, str]:
    return {geothai.normalize(p.name_th): p.code for p in geothai.provinces()}


def province_by_name(name: str) -> str | None:
    return _province_codes_by_name().get(geothai.normalize(name))


def district_by_name(province_code: str, name: str) -> str | None:
    """The district of a province with this Thai name; "เมือง" alone is the capital district."""
    wanted = geothai.normalize(name)
    districts = geothai.districts(province_code)
    if wanted in ("เมือง", "mueang"):
        return f"{province_code}01"
    for district in districts:
        if geothai.normalize(district.name_th) == wanted:
            return district.code
    for result in geothai.search(name, limit=20):
        area = result.area
        if result.level == "district" and area.code.startswith(province_code) and (
                geothai.normalize(area.name_th) == wanted):
            return area.code
    return None


def roll_up(leaf_values: Mapping[str, float], area_codes: Sequence[str]) -> dict[str, float]:
    """Sum figures for small areas into each requested area that contains them."""
    wanted = set(area_codes)
    totals: dict[str, float] = {}
    for code, value in leaf_values.items():
        for prefix in set(lineage_of(code)) & wanted:
            totals[prefix] = totals.get(prefix, 0.0) + value
    return totals


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month that overlaps [start, end]."""
    months: list[date] = []
    current = date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def fiscal_years_between(start: date, end: date) -> list[int]:
    return list(range(fiscal_year_of(start), fiscal_year_of(end) + 1))


@cache
def _legacy_provinces() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for old, successors in _abolished().items():
        if len(successors) == 1:
            found[successors[0][:2]].add(old[:2])
    return {province: frozenset(olds) for province, olds in found.items()}


def provinces_with_legacy_rows(codes: Iterable[str]) -> list[str]:
    """The provinces of the areas, plus those whose old codes now lie in them.

    A source keyed by abolished codes files a row under the old code's province, which is not
    always today's (Bueng Kan was part of Nong Khai).
    """
    provinces = set(provinces_of(codes))
    for province in list(provinces):
        provinces |= _legacy_provinces().get(province, frozenset())
    return sorted(provinces)
