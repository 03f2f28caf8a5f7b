"""A document whose fragments spread each other twice over: every pre-execution check works
through it in steps proportional to its size, and the gateway answers it with a code."""

from __future__ import annotations

from graphql import parse

from areagraph.api.protection.limits import QueryCost, QueryLimits
from areagraph.api.protection.query_walk import DocumentWalk
from areagraph.core.settings import Settings
from areagraph.schema import build_schema
from tests.conftest import Gateway


def bomb(levels: int, leaf: str = "__typename") -> str:
    """`{ ...F0 }` where each fragment spreads the next twice: 2**levels leaves if expanded."""
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}"
                         for n in range(levels))
    return f"query Bomb {{ ...F0 }} {fragments} fragment F{levels} on Query {{ {leaf} }}"


def _nodes(levels: int) -> int:
    return 2 * levels + 2  # selections in the document: two spreads per fragment, two more


def test_depth_and_alias_walk_is_linear_in_the_document() -> None:
    for levels in (10, 20, 30):
        walk = DocumentWalk(parse(bomb(levels, 'a: area(code: "10") { code }')))
        shapes = walk.shapes()
        assert shapes["Bomb"].aliases == 2 ** levels  # counted at every spread, as before
        assert shapes["Bomb"].depth == 1
        assert walk.steps <= 2 * _nodes(levels) + 2, (levels, walk.steps)


def test_cost_walk_is_linear_in_the_document() -> None:
    schema = build_schema()._schema
    limits = QueryLimits.from_settings(Settings())
    for levels in (10, 30):
        document = parse(bomb(levels, 'area(code: "10") { code }'))
        cost = QueryCost(schema, document.definitions, {}, limits)
        operation = document.definitions[0]
        assert cost.of_operation(operation) == 2 * 2 ** levels  # type: ignore[arg-type]
        assert cost.steps <= 2 * (2 * _nodes(levels) + 2), (levels, cost.steps)


async def test_thirty_levels_answer_a_coded_error(http_gateway: Gateway) -> None:
    body = await http_gateway.query(bomb(30, 'a: area(code: "10") { code }'))
    assert body["data"] is None
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"TOO_MANY_ALIASES"}, body
    costly = await http_gateway.query(bomb(30, 'area(code: "10") { children { code } }'))
    assert costly["data"] is None
    assert costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", costly


async def test_an_anonymous_bomb_is_refused_before_any_walk(http_gateway: Gateway) -> None:
    http_gateway.logout()
    body = await http_gateway.query(bomb(30))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
    plain = await http_gateway.query("{ __typename me { subject } }")
    assert plain["data"] == {"__typename": "Query", "me": None}
