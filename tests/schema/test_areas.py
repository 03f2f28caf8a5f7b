"""Areas over GraphQL: the real DOPA tree, paging, search, and no N+1."""

from __future__ import annotations

import pytest

from tests.conftest import Gateway


async def test_counts_match_the_real_map(gateway: Gateway) -> None:
    body = await gateway.query("""{
        p: areas(level: PROVINCE) { totalCount }
        d: areas(level: DISTRICT) { totalCount }
        s: areas(level: SUBDISTRICT) { totalCount }
        bangkok: area(code: "10") { nameTh nameEn level }
    }""")
    assert "errors" not in body, body
    data = body["data"]
    assert (data["p"]["totalCount"], data["d"]["totalCount"], data["s"]["totalCount"]) == (
        77, 928, 7436)
    assert data["bangkok"] == {"nameTh": "กรุงเทพมหานคร", "nameEn": "Bangkok", "level": "PROVINCE"}


async def test_tree_navigation(gateway: Gateway) -> None:
    body = await gateway.query("""{
        area(code: "340101") { nameTh postalCodes parent { code level }
            ancestors { code } children { code } }
        ubon: area(code: "34") { children { code } parent { code } }
    }""")
    area = body["data"]["area"]
    assert area["parent"] == {"code": "3401", "level": "DISTRICT"}
    assert [a["code"] for a in area["ancestors"]] == ["TH", "34", "3401"]
    assert area["children"] == []
    assert area["postalCodes"] and all(len(p) == 5 for p in area["postalCodes"])
    ubon = body["data"]["ubon"]
    assert ubon["parent"] == {"code": "TH"}
    assert all(c["code"].startswith("34") and len(c["code"]) == 4 for c in ubon["children"])
    assert len(ubon["children"]) == 25


async def test_eight_digit_code_with_trailing_zeros_is_the_higher_level(gateway: Gateway) -> None:
    body = await gateway.query('{ area(code: "20090000") { code level } }')
    assert body["data"]["area"] == {"code": "2009", "level": "DISTRICT"}


async def test_paging_walks_every_province_once(gateway: Gateway) -> None:
    seen: list[str] = []
    after = None
    while True:
        body = await gateway.query(
            """query($after: String) { areas(level: PROVINCE, first: 20, after: $after) {
                edges { node { code } cursor } pageInfo { hasNextPage endCursor } } }""",
            {"after": after},
        )
        page = body["data"]["areas"]
        seen += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 77 and len(set(seen)) == 77 and seen == sorted(seen)


@pytest.mark.parametrize(("search", "expected"), [("อุบลราชธานี", "34"), ("ubon", "34")])
async def test_search_matches_thai_and_english(gateway: Gateway, search: str,
                                               expected: str) -> None:
    body = await gateway.query(
        "query($s: String) { areas(level: PROVINCE, search: $s) { edges { node { code } } } }",
        {"s": search})
    assert [e["node"]["code"] for e in body["data"]["areas"]["edges"]] == [expected]


@pytest.mark.parametrize("first", [5, 500])
async def test_the_area_tree_is_read_once_whatever_the_page(gateway: Gateway, first: int) -> None:
    query = """query($first: Int) { areas(level: DISTRICT, first: $first) {
        edges { node { parent { nameEn } children { code } } } } }"""
    gateway.statements.reset()
    await gateway.query(query, {"first": 1})
    reads = [s for s in gateway.statements.statements if "FROM area" in s]
    assert len(reads) == 1, gateway.statements.statements  # the whole tree, on first use
    gateway.statements.reset()
    body = await gateway.query(query, {"first": first})
    assert "errors" not in body
    edges = body["data"]["areas"]["edges"]
    assert len(edges) == first
    assert all(e["node"]["parent"]["nameEn"] and e["node"]["children"] for e in edges)
    # pages, parents and children all come from the tree in memory
    assert gateway.statements.count == 0, gateway.statements.statements
