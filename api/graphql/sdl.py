"""The schema in SDL, as checked in at `schema.graphql` for front-end code generators."""

from __future__ import annotations

from strawberry.printer import print_schema

from areagraph.schema import build_schema


def schema_sdl() -> str:
    return print_schema(build_schema()) + "\n"
