"""The checked-in schema.graphql is what the code defines (front-end teams generate from it)."""

from __future__ import annotations

from pathlib import Path

from areagraph.api.graphql.sdl import schema_sdl

CHECKED_IN = Path(__file__).parents[3] / "schema.graphql"


def test_schema_graphql_is_current() -> None:
    assert CHECKED_IN.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is out of date: run `areagraph schema export`")
