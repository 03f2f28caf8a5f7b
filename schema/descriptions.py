"""Thai descriptions for the whole schema, with the English beside them: a Thai civil servant
reads the schema in GraphiQL's docs and in `schema.graphql` in their own language.

The texts live in `descriptions_th.toml` (data, not code), keyed by the schema coordinate:
`Area` (a type), `Area.code` (a field or input field), `Area.observations(indicatorCode:)` (an
argument), `AreaLevel.PROVINCE` (an enum value). A key may hold `*` for what repeats across
the schema (`*.nameTh`, `*Connection.pageInfo`, `*(first:)`); the exact key wins, then the
longest pattern. A key's value is the Thai text, or a table `{ th = "…", en = "…" }` where the
code carries no English description yet."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    is_introspection_type,
    is_specified_scalar_type,
)

TEXTS = Path(__file__).parent / "descriptions_th.toml"


@dataclass
class Described:
    """One schema element that carries a description: its coordinate and the element."""

    coordinate: str
    element: Any


def _public_types(schema: GraphQLSchema) -> Iterator[GraphQLNamedType]:
    for _name, named in sorted(schema.type_map.items()):
        if not (is_introspection_type(named) or is_specified_scalar_type(named)):
            yield named


def elements(schema: GraphQLSchema) -> Iterator[Described]:
    """Every public type, field, input field, argument and enum value, in a stable order."""
    for named in _public_types(schema):
        yield Described(named.name, named)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                yield Described(f"{named.name}.{field_name}", field)
                for arg_name, arg in getattr(field, "args", {}).items():
                    yield Described(f"{named.name}.{field_name}({arg_name}:)", arg)
        if isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                yield Described(f"{named.name}.{value_name}", value)


@cache
def thai_texts(path: Path = TEXTS) -> dict[str, tuple[str, str | None]]:
    """Coordinate → (Thai, English or None when the code's own description is the English)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    texts: dict[str, tuple[str, str | None]] = {}
    for coordinate, value in raw.items():
        if isinstance(value, str):
            texts[coordinate] = (value, None)
        else:
            texts[coordinate] = (str(value["th"]), str(value["en"]))
    return texts


def text_for(coordinate: str) -> tuple[str, str | None] | None:
    """The text for a coordinate: its own key, else the longest pattern that matches it."""
    texts = thai_texts()
    found = texts.get(coordinate)
    if found is not None:
        return found
    for pattern in _patterns():
        if fnmatchcase(coordinate, pattern):
            return texts[pattern]
    return None


@cache
def _patterns() -> tuple[str, ...]:
    return tuple(sorted((k for k in thai_texts() if "*" in k), key=len, reverse=True))


def describe(schema: GraphQLSchema) -> None:
    """Put the Thai text first and the English after it (the code's own description, else the
    text's) on every element the texts cover."""
    for item in elements(schema):
        found = text_for(item.coordinate)
        if found is None:
            continue
        thai, english = found
        english = item.element.description or english
        item.element.description = f"{thai}\n\n{english}" if english else thai
