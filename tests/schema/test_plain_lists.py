"""The plain-object list fast path answers exactly what graphql-core's own completion does."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission

from areagraph.schema.plain_lists import PlainListExecutionContext


@strawberry.enum
class Level(Enum):
    PROVINCE = "province"
    DISTRICT = "district"


class Never(BasePermission):
    message = "not allowed"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Place:
    code: str
    level: Level
    name: str | None
    postal_codes: list[str]
    strict: str = "ok"
    secret: str = strawberry.field(default="hidden", permission_classes=[Never])

    @strawberry.field
    def shout(self) -> str:
        return self.code.upper()


@strawberry.type
class Edge:
    node: Place
    cursor: str


def _places(count: int) -> list[Edge]:
    return [Edge(node=Place(code=f"p{i}", level=Level.PROVINCE if i % 2 else Level.DISTRICT,
                            name=None if i % 3 == 0 else f"name {i}",
                            postal_codes=[f"{i:05d}", "10000"]), cursor=f"c{i}")
            for i in range(count)]


@strawberry.type
class Reading:
    id: strawberry.ID
    value: float
    count: int
    flag: bool


# Values the scalars pass through unchanged, convert (an int as Float, a numeric string), or
# refuse (not finite, beyond 32 bits, a bool where a number is due).
_READINGS: dict[str, list[tuple[Any, Any, Any, Any]]] = {
    "plain": [("a", 1.5, 3, True), ("b", -0.0, -(2**31), False), ("c", 2.0, 2**31 - 1, True)],
    "converted": [("a", 2, 3, True), ("b", "1.25", 4, False), (7, 1.0, 5.0, 1)],
    "nan": [("a", float("nan"), 1, True)],
    "big": [("a", 1.0, 2**31, True)],
    "bool_number": [("a", True, False, True)],
}


@strawberry.type
class Query:
    @strawberry.field
    def edges(self, count: int = 5) -> list[Edge]:
        return _places(count)

    @strawberry.field
    def readings(self, kind: str) -> list[Reading]:
        return [Reading(id=i, value=v, count=c, flag=f) for i, v, c, f in _READINGS[kind]]

    @strawberry.field
    def broken(self) -> list[Place]:
        places = [e.node for e in _places(3)]
        places[1].strict = None  # type: ignore[assignment]  # null in a non-null field
        return places

    @strawberry.field
    def bad_enum(self) -> list[Place]:
        places = [e.node for e in _places(2)]
        places[0].level = "nonsense"  # type: ignore[assignment]
        return places


STANDARD = strawberry.Schema(query=Query)
FAST = strawberry.Schema(query=Query, execution_context_class=PlainListExecutionContext)

QUERIES = [
    "{ edges { cursor node { code level name postalCodes __typename } } }",
    "{ edges(count: 0) { cursor } }",
    "{ edges { a: cursor b: cursor node { c: code code ... on Place { level } } } }",
    "query($skip: Boolean!) { edges { node { code name @skip(if: $skip) "
    "postalCodes @include(if: $skip) } } }",
    "{ edges { node { code shout } } }",  # a resolver: the standard path
    "{ edges { node { code secret } } }",  # a permission: the standard path, still refused
    "{ broken { code strict } }",  # null where non-null: the standard error
    "{ badEnum { code level } }",  # a value the enum refuses: the standard error
    "{ edges { node { ...F } } } fragment F on Place { code level name }",
    *(f'{{ readings(kind: "{kind}") {{ id value count flag }} }}' for kind in _READINGS),
]


@pytest.mark.parametrize("query", QUERIES)
async def test_fast_path_answers_like_graphql_core(query: str) -> None:
    for skip in (True, False):
        variables = {"skip": skip} if "$skip" in query else None
        expected = await STANDARD.execute(query, variable_values=variables)
        actual = await FAST.execute(query, variable_values=variables)
        assert json.dumps(actual.data) == json.dumps(expected.data)  # 2 and 2.0 differ here
        assert [(e.message, e.path) for e in actual.errors or []] == [
            (e.message, e.path) for e in expected.errors or []]


async def test_permission_still_refuses_inside_lists() -> None:
    result = await FAST.execute("{ edges(count: 2) { node { code secret } } }")
    assert result.errors and {e.message for e in result.errors} == {"not allowed"}


async def test_plain_lists_skip_per_field_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    standard_lists: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.complete_list_value

    def counting(self: Any, return_type: Any, *args: Any) -> Any:
        standard_lists.append(str(return_type))
        return original(self, return_type, *args)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "complete_list_value", counting)
    result = await FAST.execute("{ edges(count: 50) { cursor node { code level postalCodes } } }")
    assert result.errors is None and result.data is not None
    assert len(result.data["edges"]) == 50
    assert standard_lists == []
    await FAST.execute("{ edges(count: 2) { node { shout } } }")
    assert standard_lists == ["[Edge!]"]  # a resolver below: graphql-core's own path
