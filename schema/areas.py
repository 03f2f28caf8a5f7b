"""Areas: the DOPA tree of Thailand, from the country to subdistricts."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers import areas as resolve
from resolvers.context import Info
from schema.common import Connection, connection, decode_cursor
from schema.enums import AreaLevel


@strawberry.type(description="A DOPA area: the country, a province, a district or a subdistrict.")
class Area:
    code: str = strawberry.field(description="DOPA code: TH, 2, 4 or 6 digits.")
    level: AreaLevel
    name_th: str
    name_en: str
    postal_codes: list[str] = strawberry.field(description="Thailand Post codes (subdistricts).")
    row: strawberry.Private[Any]

    @classmethod
    def from_row(cls, row: Any) -> Area:
        return cls(code=row["code"], level=AreaLevel(row["level"]), name_th=row["name_th"],
                   name_en=row["name_en"], postal_codes=list(row["postal_codes"] or []), row=row)

    @strawberry.field(description="The area this one is part of; null for the country.")
    async def parent(self, info: Info) -> Area | None:
        found = await resolve.parent(info, self.row)
        return None if found is None else Area.from_row(found)

    @strawberry.field(description="The areas directly below this one, by code.")
    async def children(self, info: Info) -> list[Area]:
        return [Area.from_row(r) for r in await resolve.children(info, self.row)]

    @strawberry.field(description="The areas above this one, from the country down.")
    async def ancestors(self, info: Info) -> list[Area]:
        return [Area.from_row(r) for r in await resolve.ancestors(info, self.row)]

    @strawberry.field(description="Recorded figures (current revisions) for one indicator.")
    async def observations(
        self,
        info: Info,
        indicator_code: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None,
    ) -> list[Observation]:
        rows = await resolve.observations(info, self.row, indicator_code, from_, to)
        return [Observation.from_row(r) for r in rows]


@strawberry.type
class AreaQuery:
    @strawberry.field(description="One area by DOPA code; null when no area has the code.")
    async def area(self, info: Info, code: str) -> Area | None:
        row = await resolve.area(info, code)
        return None if row is None else Area.from_row(row)

    @strawberry.field(description="Areas, filtered by level, parent or a Thai/English name.")
    async def areas(
        self,
        info: Info,
        level: AreaLevel | None = None,
        parent_code: str | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Area]:
        page, total = await resolve.areas(
            info, level=level.value if level else None, parent_code=parent_code, search=search,
            first=first, after=decode_cursor("area", after),
        )
        nodes = [Area.from_row(r) for r in page.rows]
        return connection(nodes, [n.code for n in nodes], "area", page.has_next,
                          page.has_previous, total)


from schema.indicators import Observation  # noqa: E402  (the two types refer to each other)
