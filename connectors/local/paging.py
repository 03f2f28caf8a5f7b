"""Keyset pages over the local store: `first` rows after a key, plus whether more follow.

Repositories return their rows typed as TypedDicts beside them (`AreaRow`, `ComplaintRow`...):
at run time they are SQLAlchemy's read-only `RowMapping`s, cast so mypy checks the keys read.
Readers only read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, RowMapping, Select, and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")


class RowScope(Protocol):
    """One way a caller may see rows, as the access policy decided it: under these area codes
    (None: anywhere), of this agency (None: any agency's)."""

    @property
    def areas(self) -> tuple[str, ...] | None: ...

    @property
    def agency(self) -> str | None: ...


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    has_next: bool
    has_previous: bool


def subtree(column: Any, prefixes: Sequence[str]) -> ColumnElement[bool]:
    """Rows whose area code lies under one of the given area codes (``TH`` is everything)."""
    if not prefixes or "TH" in prefixes:
        return column.is_not(None)
    return or_(*(column.like(f"{p}%") for p in prefixes))


async def fetch_page(
    conn: AsyncConnection, statement: Select[Any], key: Any, first: int, after: Any | None
) -> Page[RowMapping]:
    """Run `statement` ordered by `key`, starting after `after`, one row more to see the end."""
    if after is not None:
        statement = statement.where(key > after)
    result = await conn.execute(statement.order_by(key).limit(first + 1))
    rows = list(result.mappings())
    return Page(rows=rows[:first], has_next=len(rows) > first, has_previous=after is not None)


async def count(conn: AsyncConnection, statement: Select[Any]) -> int:
    total = await conn.execute(select(func.count()).select_from(statement.subquery()))
    return int(total.scalar_one())


def granted(grants: Sequence[RowScope], area_clause: Any,
            agency_column: Any) -> ColumnElement[bool]:
    """OR of the caller's scopes; `area_clause(prefixes)` builds the area part of one scope."""
    if not grants:
        return false()
    clauses = []
    for grant in grants:
        parts = []
        if grant.areas is not None:
            parts.append(area_clause(grant.areas))
        if grant.agency is not None:
            parts.append(agency_column == grant.agency)
        clauses.append(and_(*parts) if parts else true())
    return or_(*clauses)
