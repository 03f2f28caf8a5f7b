"""One check on every argument of every field before its resolver runs: text fits its field.

Any string reaching a resolver (a literal in the document or a variable, at any depth of an
input object or list) is refused as BAD_USER_INPUT, naming the argument, when it is longer than
its field allows, holds a NUL character (PostgreSQL cannot store one) or is not valid Unicode (a
lone surrogate cannot be encoded, so no database could store it). Numbers are checked by each
domain's rules, which know the unit (and list bad rows one by one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType
from pydantic.alias_generators import to_camel

from areagraph.core.errors import BadUserInput
from areagraph.core.validation import text_length, text_problem


def _check(where: str, name: str, value: Any) -> None:
    if isinstance(value, str):
        problem = text_problem(value, text_length(name))
        if problem is not None:
            raise BadUserInput(f"{where}: {problem}", argument=where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(f"{where}[{index}]", name, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(f"{where}.{key}", str(key), item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            name = to_camel(field.name)
            _check(f"{where}.{name}", name, getattr(value, field.name))


def _checked(resolve: Callable[..., Any]) -> Callable[..., Any]:
    def checked(source: Any, info: Any, **arguments: Any) -> Any:
        for name, value in arguments.items():
            _check(name, name, value)
        return resolve(source, info, **arguments)

    return checked


def guard_arguments(schema: strawberry.Schema) -> strawberry.Schema:
    """Wrap the resolver (and subscription source) of every field that takes arguments."""
    for named in schema._schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field in named.fields.values():
            if not field.args:
                continue
            if field.resolve is not None:
                field.resolve = _checked(field.resolve)
            if field.subscribe is not None:
                field.subscribe = _checked(field.subscribe)
    return schema
