"""Today's DOPA map, as the simulators need it (from geothai)."""

from __future__ import annotations

from functools import cache

import geothai
from geothai.abolished import abolished_areas

from areagraph.connectors.simulators.base import number


@cache
def current_codes() -> frozenset[str]:
    codes: set[str] = set()
    for province in geothai.provinces():
        codes.add(province.code)
        for district in geothai.districts(province.code):
            codes.add(district.code)
            codes.update(s.code for s in geothai.subdistricts(district.code))
    return frozenset(codes)


@cache
def subdistricts_of_province(province_code: str) -> tuple[str, ...]:
    return tuple(s.code for d in geothai.districts(province_code)
                 for s in geothai.subdistricts(d.code))


def level_scale(code: str) -> int:
    """Roughly how many subdistricts an area holds, to keep simulated figures plausible."""
    return {2: 100, 4: 8}.get(len(code), 1)


@cache
def legacy_key() -> dict[str, str]:
    """Today's subdistricts whose rows a source still files under an abolished code."""
    keys: dict[str, str] = {}
    for old in sorted(abolished_areas(), key=lambda a: a.code):
        if len(old.successors) == 1:
            keys.setdefault(old.successors[0], old.code)
    return keys


@cache
def split_codes(system: str, province: str) -> tuple[str, ...]:
    """Abolished subdistrict codes of a province that no longer map to exactly one subdistrict
    and that `system` still files some rows under (a deterministic few)."""
    return tuple(a.code for a in abolished_areas()
                 if a.level == "subdistrict" and a.code.startswith(province)
                 and len(a.successors) != 1 and number(system, a.code, low=0, high=9) == 0)
