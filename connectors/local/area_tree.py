"""The DOPA area tree held in memory: 8,441 rows of reference data, read once per process.

The tree changes only when `areagraph seed` loads a new edition of the map, so reading it for
every request (a page of areas, parents, children) spent milliseconds of SQL on answers that
never change. Lookups here are dictionary reads and keyset pages are slices of sorted codes.
A process started before the map was seeded reads it again until it finds rows; after seeding
a new edition, restart the gateway.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypedDict

from areagraph.connectors.local.paging import Page


class AreaRow(TypedDict):
    """A row of the `area` table."""

    code: str
    level: str
    parent_code: str | None
    province_code: str | None
    district_code: str | None
    name_th: str
    name_en: str
    postal_codes: list[str]



class AreaTree:
    def __init__(self, rows: Iterable[AreaRow]) -> None:
        ordered = sorted(rows, key=lambda r: r["code"])
        self._by_code: dict[str, AreaRow] = {r["code"]: r for r in ordered}
        children: defaultdict[str, list[AreaRow]] = defaultdict(list)
        by_level: defaultdict[str, list[AreaRow]] = defaultdict(list)
        for row in ordered:
            if row["parent_code"] is not None:
                children[row["parent_code"]].append(row)
            by_level[row["level"]].append(row)
        self._children = dict(children)
        self._by_level = dict(by_level)
        self._all = ordered

    def __len__(self) -> int:
        return len(self._all)

    def get(self, code: str) -> AreaRow | None:
        return self._by_code.get(code)

    def by_codes(self, codes: Iterable[str]) -> dict[str, AreaRow]:
        return {code: row for code in codes if (row := self._by_code.get(code)) is not None}

    def codes_at(self, level: str) -> list[str]:
        """Every code of one level (province, district, subdistrict), in order."""
        return [row["code"] for row in self._by_level.get(level, [])]

    def children_of(self, codes: Iterable[str]) -> dict[str, list[AreaRow]]:
        return {code: self._children[code] for code in codes if code in self._children}

    def _candidates(self, level: str | None, parent_code: str | None) -> Sequence[AreaRow]:
        if parent_code is not None:
            rows: Sequence[AreaRow] = self._children.get(parent_code, [])
            return rows if level is None else [r for r in rows if r["level"] == level]
        return self._all if level is None else self._by_level.get(level, [])

    def page(self, *, level: str | None, parent_code: str | None, first: int,
             after: str | None) -> Page[AreaRow]:
        """`first` areas by code after the code `after`, as the SQL keyset page would give."""
        rows = self._candidates(level, parent_code)
        start = 0 if after is None else bisect_right(rows, after, key=lambda r: r["code"])
        return Page(rows=list(rows[start:start + first]), has_next=len(rows) > start + first,
                    has_previous=after is not None)

    def count(self, *, level: str | None, parent_code: str | None) -> int:
        return len(self._candidates(level, parent_code))
