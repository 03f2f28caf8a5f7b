"""Checks on the arguments clients send, with messages that say what is accepted."""

from __future__ import annotations

import re

from api.errors import BadUserInput

_AREA_CODE = re.compile(r"^(TH|\d{2}|\d{4}|\d{6}|\d{8})$")
DEFAULT_PAGE = 50


def area_code(code: str, argument: str = "code") -> str:
    """A DOPA code in its short form; 8-digit codes with trailing ``00`` are shortened."""
    text = code.strip().upper()
    if not _AREA_CODE.match(text):
        raise BadUserInput(
            f"invalid area code {code!r}: use TH, or 2, 4, 6 or 8 DOPA digits",
            argument=argument,
        )
    if len(text) == 8:
        while text.endswith("00") and len(text) > 2:
            text = text[:-2]
    return text


def page_size(first: int | None, maximum: int) -> int:
    if first is None:
        return min(DEFAULT_PAGE, maximum)
    if first < 0 or first > maximum:
        raise BadUserInput(f"first must be between 0 and {maximum}, got {first}",
                           argument="first", maximum=maximum)
    return first


def fiscal_year(year: int | None, argument: str = "fiscalYear") -> int | None:
    if year is None:
        return None
    if year > 2400:
        raise BadUserInput(
            f"fiscal year {year} looks like a Buddhist Era year; send CE ({year - 543})",
            argument=argument,
        )
    if not 1990 <= year <= 2100:
        raise BadUserInput(f"fiscal year {year} is out of range", argument=argument)
    return year
