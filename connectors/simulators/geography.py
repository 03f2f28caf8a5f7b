"""Today's DOPA map, as the simulators need it (from geothai)."""

from __future__ import annotations

from functools import cache

import geothai


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
