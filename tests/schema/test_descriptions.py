"""Every public type, field, argument and enum value is described in Thai, with the English."""

from __future__ import annotations

from fnmatch import fnmatchcase

from areagraph.schema import build_schema
from areagraph.schema.descriptions import elements, text_for, thai_texts


def _is_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def test_every_public_element_has_a_thai_and_an_english_description() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for item in elements(schema):
        text = item.element.description or ""
        thai, _, english = text.partition("\n\n")
        if not (_is_thai(thai) and any("a" <= ch.lower() <= "z" for ch in english)):
            missing.append(item.coordinate)
    assert missing == [], (f"{len(missing)} without Thai and English: {missing}; describe them "
                           "in schema/descriptions_th.toml, then run `areagraph schema export`")


def test_every_text_names_an_element_of_the_schema() -> None:
    coordinates = [item.coordinate for item in elements(build_schema()._schema)]
    stale = sorted(key for key in thai_texts()
                   if not any(fnmatchcase(c, key) for c in coordinates))
    assert stale == [], f"descriptions of elements the schema no longer has: {stale}"


def test_a_coordinate_of_its_own_wins_over_a_pattern() -> None:
    texts = thai_texts()
    assert "*.nameTh" in texts and "Area.code" in texts
    assert text_for("Agency.nameTh") == texts["*.nameTh"]
    assert text_for("Area.code") == texts["Area.code"]
    assert text_for("NoSuchType.noSuchField") is None


def test_the_published_sdl_carries_the_thai_text() -> None:
    sdl = open("schema.graphql", encoding="utf-8").read()
    for coordinate, (thai, _english) in list(thai_texts().items())[:50]:
        assert thai in sdl, coordinate
