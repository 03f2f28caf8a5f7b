"""Checks on single values clients send: periods' digits, numbers, text, cursor keys
(area codes have their own module, `area_codes`).

Plain functions over plain values; imports nothing of ours, so every layer can use them (and they
can move to a core package unchanged). Each `*_problem` returns why a value is refused, or None;
the parsers raise `InvalidInput`, which the gateway answers as BAD_USER_INPUT.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

MAX_BAHT = Decimal("100000000000000")  # 100 trillion baht: some 30 years of the state budget
MAX_FIGURE = 1e15  # any figure's magnitude: sums over every area stay far inside a float
MAX_ID = 2**31 - 1  # row and event ids are INTEGER columns: 32 bits on PostgreSQL
SUBJECT_LENGTH = 300
DEFAULT_TEXT_LENGTH = 500  # codes, names of things, search terms, cursors …
# Per-field maxima, keyed by argument or input field name without `_` and case.
# Each fits its column (PostgreSQL refuses longer text in a VARCHAR(n): an error, not a refusal).
TEXT_LENGTHS = {"detail": 4_000, "note": 2_000, "subject": SUBJECT_LENGTH,
                "titleth": 300, "titleen": 300, "strategy": 200, "name": 200,
                "complainantname": 200, "complainantphone": 32, "search": 100}
_REPR_LIMIT = 40


class InvalidInput(ValueError):
    """A value the gateway refuses; `argument` names where it was sent."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


def shown(text: str) -> str:
    """`text` quoted for an error message, cut short (a refusal never echoes 400 KB)."""
    if len(text) > _REPR_LIMIT:
        return repr(text[:_REPR_LIMIT]) + f"… ({len(text)} characters)"
    return repr(text)


def ascii_digits(text: str) -> bool:
    """Only 0–9 (not Thai or other Unicode digits, which `isdigit` accepts), at least one."""
    return text.isascii() and text.isdigit()


def parse_key(text: str, what: str) -> int:
    """A row or event id sent back by a client (cursor key, `since`): ASCII digits, no larger
    than the id columns hold."""
    digits = text.lstrip("0") if ascii_digits(text) else None
    if digits is None or len(digits) > len(str(MAX_ID)) or int(digits or "0") > MAX_ID:
        raise InvalidInput(f"invalid {what} {shown(text)}: expected an id from 0 to {MAX_ID} "
                           "in digits 0–9")
    return int(digits or "0")


def text_problem(text: str, maximum: int = DEFAULT_TEXT_LENGTH) -> str | None:
    """Why `text` cannot be stored or searched: too long, a NUL byte, or not encodable as
    UTF-8 (a lone surrogate such as ``\\ud800``)."""
    if len(text) > maximum:
        return f"at most {maximum} characters, got {len(text)}"
    if "\x00" in text:
        return "NUL characters are not allowed"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid Unicode text (a lone surrogate)"
    return None


def text_length(argument: str) -> int:
    """The longest text accepted for an argument or input field of this name."""
    return TEXT_LENGTHS.get(argument.replace("_", "").lower(), DEFAULT_TEXT_LENGTH)


def number_problem(value: float | Decimal) -> str | None:
    """Why a number is not a usable figure at all: not finite, or beyond ±`MAX_FIGURE`."""
    try:
        if not math.isfinite(value):
            return "must be a finite number"
    except (OverflowError, InvalidOperation, ValueError):
        return "must be a finite number"
    if abs(float(value)) > MAX_FIGURE:
        return f"must be between -{MAX_FIGURE:.0e} and {MAX_FIGURE:.0e}"
    return None


def baht_problem(value: Decimal) -> str | None:
    """Why an amount of baht is refused: not finite, negative, beyond `MAX_BAHT`, or finer
    than a satang."""
    if not value.is_finite():
        return "an amount in baht must be a finite number"
    if value < 0:
        return "an amount in baht cannot be negative"
    if value > MAX_BAHT:
        return f"an amount in baht cannot exceed {MAX_BAHT:,} THB"
    if value != value.quantize(Decimal("0.01")):
        return "an amount in baht has at most two decimals (satang)"
    return None


def percent_problem(value: float) -> str | None:
    if not math.isfinite(value) or not 0 <= value <= 100:
        return "a percentage must be a number between 0 and 100"
    return None


def finite_or_none(value: float | Decimal | None) -> float | None:
    """A stored sum or ratio as a float for a reader; None when it does not fit one."""
    if value is None:
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None
