"""The area tree in memory answers exactly what the SQL over the area table answers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from areagraph.connectors.local import areas
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.paging import count, fetch_page
from areagraph.core.settings import Settings

_AREA = areas._AREA


def _sql_filter(level: str | None, parent: str | None) -> Any:
    statement = select(_AREA)
    if level is not None:
        statement = statement.where(_AREA.c.level == level)
    if parent is not None:
        statement = statement.where(_AREA.c.parent_code == parent)
    return statement


@pytest.mark.parametrize(("level", "parent", "first", "after"), [
    (None, None, 10, None),
    ("province", None, 100, None),
    ("district", None, 7, "1050"),
    ("subdistrict", "3401", 1000, None),
    ("subdistrict", "3401", 3, "340105"),
    ("subdistrict", None, 50, "9699"),  # after a code that is not an area
    (None, "34", 5, None),
    ("district", "34", 1000, "3499"),  # past the end
    ("province", "3401", 10, None),  # a level that is not under the parent
    (None, "nowhere", 10, None),
])
async def test_pages_and_counts_match_sql(settings: Settings, level: str | None,
                                          parent: str | None, first: int,
                                          after: str | None) -> None:
    database = Database(settings.async_database_url)
    try:
        tree = await areas.tree(database)
        async with database.engine.connect() as conn:
            expected = await fetch_page(conn, _sql_filter(level, parent), _AREA.c.code, first,
                                        after)
            total = await count(conn, _sql_filter(level, parent))
        page = tree.page(level=level, parent_code=parent, first=first, after=after)
        assert [dict(r) for r in page.rows] == [dict(r) for r in expected.rows]
        assert (page.has_next, page.has_previous) == (expected.has_next, expected.has_previous)
        assert tree.count(level=level, parent_code=parent) == total
    finally:
        await database.dispose()


async def test_the_tree_holds_the_whole_map_and_its_links(settings: Settings) -> None:
    database = Database(settings.async_database_url)
    try:
        tree = await areas.tree(database)
        assert tree is await areas.tree(database)  # read once
        assert len(tree) == 1 + 77 + 928 + 7436
        ubon = tree.get("34")
        assert ubon is not None and ubon["name_th"] == "อุบลราชธานี"
        districts = tree.children_of(["34"])["34"]
        assert [d["code"] for d in districts] == sorted(d["code"] for d in districts)
        assert all(d["parent_code"] == "34" for d in districts)
        assert set(tree.by_codes(["34", "3401", "999999"])) == {"34", "3401"}
    finally:
        await database.dispose()


@pytest.mark.parametrize("level", ["province", "district", "subdistrict"])
async def test_the_codes_of_a_level_are_the_tables_in_order(settings: Settings,
                                                            level: str) -> None:
    database = Database(settings.async_database_url)
    try:
        async with database.engine.connect() as conn:
            stored = (await conn.execute(select(_AREA.c.code).where(_AREA.c.level == level)
                                         .order_by(_AREA.c.code))).scalars().all()
        codes = await areas.codes_at(database, level)
        assert codes == list(stored)
        assert len(codes) == {"province": 77, "district": 928, "subdistrict": 7436}[level]
    finally:
        await database.dispose()
