"""The listing prefetch finds the source-backed fields by their mark in the schema, not by name:
renamed, they are still prefetched; gone, or missing an argument, the schema refuses to build."""

from typing import Annotated

import pytest
import strawberry
from graphql import GraphQLObjectType

from areagraph.resolvers.source_prefetch import (
    EVENTS,
    VALUES,
    check_marks,
    marked_fields,
    prefetched,
)
from areagraph.schema import build_schema


def _type(schema: strawberry.Schema, name: str) -> GraphQLObjectType:
    found = schema._schema.type_map[name]
    assert isinstance(found, GraphQLObjectType)
    return found


def test_the_areas_source_backed_fields_are_marked() -> None:
    marked = marked_fields(_type(build_schema(), "Area"))
    assert {name: m.kind for name, m in marked.items()} == {"indicatorValues": VALUES,
                                                            "events": EVENTS}
    assert dict(marked["indicatorValues"].arguments) == {"codes": "codes", "period": "period"}
    assert dict(marked["events"].arguments) == {"kinds": "kinds", "period": "period"}


@strawberry.type(name="Place")
class _Place:
    code: str

    @strawberry.field(name="figures", metadata=prefetched(VALUES))
    def values(self, codes: Annotated[list[str], strawberry.argument(name="indicators")],
               period: str) -> int:
        return 0

    @strawberry.field(name="happenings", metadata=prefetched(EVENTS))
    def events(self, period: str, kinds: list[str] | None = None) -> int:
        return 0


def _schema_listing(place: type) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def places(self) -> list[place]:  # type: ignore[valid-type]
            return []

    return strawberry.Schema(query=Query)


def test_renamed_fields_and_arguments_are_still_prefetched() -> None:
    schema = _schema_listing(_Place)
    check_marks(schema._schema)
    marked = marked_fields(_type(schema, "Place"))
    assert {name: m.kind for name, m in marked.items()} == {"figures": VALUES,
                                                            "happenings": EVENTS}
    assert dict(marked["figures"].arguments) == {"codes": "indicators", "period": "period"}


def test_a_schema_without_a_marked_field_refuses_to_build() -> None:
    @strawberry.type
    class Place:
        code: str

        @strawberry.field(metadata=prefetched(VALUES))
        def figures(self, codes: list[str], period: str) -> int:
            return 0

    with pytest.raises(RuntimeError, match=r"no field is marked.*'events'"):
        check_marks(_schema_listing(Place)._schema)


def test_a_marked_field_without_an_argument_the_prefetch_reads_refuses_to_build() -> None:
    @strawberry.type
    class Place:
        @strawberry.field(metadata=prefetched(VALUES))
        def figures(self, indicator_codes: list[str], period: str) -> int:
            return 0

        @strawberry.field(metadata=prefetched(EVENTS))
        def events(self, period: str, kinds: list[str] | None = None) -> int:
            return 0

    with pytest.raises(RuntimeError, match=r"Place.figures .* no argument codes"):
        check_marks(_schema_listing(Place)._schema)


def test_an_unknown_kind_cannot_be_marked() -> None:
    with pytest.raises(ValueError):
        prefetched("figures")
