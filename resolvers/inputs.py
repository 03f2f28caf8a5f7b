"""Checks on the arguments clients send, with messages that say what is accepted."""

from __future__ import annotations

from areagraph.core.area_codes import parse_area_code
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import Period, fiscal_year_argument, period_argument
from areagraph.core.validation import InvalidInput, parse_key

DEFAULT_PAGE = 50


def area_code(code: str, argument: str = "code") -> str:
    """A DOPA code in its short form; 8-digit codes with trailing ``00`` are shortened."""
    try:
        return parse_area_code(code)
    except InvalidInput as exc:
        raise BadUserInput(exc.message, argument=argument) from None


def period(text: str, argument: str = "period") -> Period:
    return period_argument(text, argument)


def key(text: str | None, what: str, argument: str) -> int | None:
    """An id a client sends back (a cursor's key, a subscription's `since`), or None."""
    if text is None:
        return None
    try:
        return parse_key(text, what)
    except InvalidInput as exc:
        raise BadUserInput(exc.message, argument=argument) from None


def page_size(first: int | None, maximum: int) -> int:
    if first is None:
        return min(DEFAULT_PAGE, maximum)
    if first < 0 or first > maximum:
        raise BadUserInput(f"first must be between 0 and {maximum}, got {first}",
                           argument="first", maximum=maximum)
    return first


def fiscal_year(year: int | None, argument: str = "fiscalYear") -> int | None:
    return fiscal_year_argument(year, argument)
