"""DOPA area codes: the one place that knows how a code spells its level and its parents.

A child's code starts with its parent's: province ``34`` → district ``3401`` → subdistrict
``340101`` → village ``34010101``; ``TH`` stands for the whole country. DOPA's 8-digit form pads
with ``00`` pairs (``20090000`` is district 2009); the gateway keeps the short form.

`AreaCode` is the value; the functions below do the same arithmetic on codes already in short
form (from our tables and from parsed input), which is what the per-row paths call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from areagraph.core.validation import InvalidInput, shown

COUNTRY = "TH"
LEVELS = ("country", "province", "district", "subdistrict", "village")
# The code length that stands for each level (the country's ``TH`` counts as 0).
LEVEL_DEPTH = {"country": 0, "province": 2, "district": 4, "subdistrict": 6, "village": 8}
DEPTH_LEVEL = {depth: level for level, depth in LEVEL_DEPTH.items()}

# ASCII only: Python's `\d` and str.isdigit() also accept Thai (๐–๙) and other digits.
AREA_CODE_PATTERN = r"^(TH|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})$"
SHORT_AREA_CODE_PATTERN = r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})$"
_ACCEPTED = re.compile(AREA_CODE_PATTERN.rstrip("$"))
_SHORT = re.compile(r"TH|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{6}(?!00)[0-9]{2}")


class InvalidAreaCode(InvalidInput):
    """Text that is not a DOPA code in any form the gateway accepts."""


def parse_area_code(text: str) -> str:
    """The short form of a code a client sent: TH, or 2, 4, 6 or 8 ASCII digits, with
    surrounding space and case ignored; an 8-digit code ending ``00`` names the higher level."""
    code = text.strip().upper()
    if not _ACCEPTED.fullmatch(code):
        raise InvalidAreaCode(f"invalid area code {shown(text)}: use TH, or 2, 4, 6 or 8 DOPA "
                              "digits (0–9)")
    return from_dopa8(code) if len(code) == 8 else code


def depth_of(code: str) -> int:
    """The code length that stands for an area's level; the country (``TH``) is 0."""
    return 0 if code == COUNTRY else len(code)


def level_of(code: str) -> str:
    """country, province, district, subdistrict, or village (anything deeper)."""
    return DEPTH_LEVEL.get(depth_of(code), "village")


def province_of(code: str) -> str | None:
    """The province an area lies in (itself for a province); None for the country."""
    return None if code == COUNTRY else code[:2]


def district_of(code: str) -> str | None:
    """The district an area lies in (itself for a district); None above the district level."""
    return code[:4] if code != COUNTRY and len(code) >= 4 else None


def parent_of(code: str) -> str | None:
    """The area one level up: ``340101`` → ``3401``, ``34`` → ``TH``; None for the country."""
    if code == COUNTRY:
        return None
    return COUNTRY if len(code) <= 2 else code[:len(code) - 2]


def ancestors_of(code: str) -> list[str]:
    """Codes from the country down to the area's parent: ``340101`` → TH, 34, 3401."""
    if code == COUNTRY:
        return []
    return [COUNTRY, *(code[:n] for n in range(2, len(code), 2))]


def lineage_of(code: str) -> list[str]:
    """The area and every area above it, from the country down: ``3401`` → TH, 34, 3401."""
    return [*ancestors_of(code), code]


def is_within(code: str, area: str) -> bool:
    """Is `code` the area itself or inside it?"""
    return area == COUNTRY or code.startswith(area)


def within(code: str, scope: Iterable[str]) -> bool:
    """Is `code` inside (or equal to) one of the scope's subtrees?"""
    return any(is_within(code, area) for area in scope)


def related(code: str, other: str) -> bool:
    """Does one area contain the other (or are they the same)?"""
    return is_within(code, other) or is_within(other, code)


def to_dopa8(code: str) -> str:
    """DOPA's 8-digit form: 34 → 34000000, 3401 → 34010000, 340101 → 34010100."""
    if code == COUNTRY:
        raise ValueError("the country has no 8-digit DOPA code")
    return code.ljust(8, "0")


def from_dopa8(code: str) -> str:
    """The short form of an 8-digit DOPA code; trailing 00 pairs mark a higher level."""
    short = code
    while len(short) > 2 and short.endswith("00"):
        short = short[:-2]
    return short


@dataclass(frozen=True, slots=True, order=True)
class AreaCode:
    """A DOPA area code in its short form (``AreaCode.parse`` accepts what clients send)."""

    code: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _SHORT.fullmatch(self.code):
            raise InvalidAreaCode(f"not a short-form area code: {shown(str(self.code))}")

    @classmethod
    def parse(cls, text: str) -> AreaCode:
        """TH, or 2, 4, 6 or 8 ASCII digits (8 with trailing ``00`` pairs name the higher
        level); `InvalidAreaCode` otherwise."""
        return cls(parse_area_code(text))

    @classmethod
    def country(cls) -> AreaCode:
        return cls(COUNTRY)

    def __str__(self) -> str:
        return self.code

    @property
    def short(self) -> str:
        return self.code

    @property
    def dopa8(self) -> str:
        """The 8-digit form (`ValueError` for the country, which has none)."""
        return to_dopa8(self.code)

    @property
    def level(self) -> str:
        return level_of(self.code)

    @property
    def depth(self) -> int:
        """The code length standing for the level (0 for the country)."""
        return depth_of(self.code)

    @property
    def is_country(self) -> bool:
        return self.code == COUNTRY

    @property
    def parent(self) -> AreaCode | None:
        found = parent_of(self.code)
        return None if found is None else AreaCode(found)

    @property
    def ancestors(self) -> tuple[AreaCode, ...]:
        """From the country down to the parent."""
        return tuple(AreaCode(c) for c in ancestors_of(self.code))

    def at(self, level: str) -> AreaCode | None:
        """The area at `level` that holds this one (itself at its own level); None when that
        level is below this area's."""
        depth = LEVEL_DEPTH[level]
        if depth > self.depth:
            return None
        return AreaCode(COUNTRY if depth == 0 else self.code[:depth])

    def within(self, other: AreaCode | str) -> bool:
        """Is this area `other` or inside it?"""
        return is_within(self.code, str(other))

    def contains(self, other: AreaCode | str) -> bool:
        return is_within(str(other), self.code)
