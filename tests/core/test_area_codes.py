"""DOPA area codes: what is accepted and how, and that level, parent, ancestors and `within`
agree with one another and with every code geothai ships."""

from __future__ import annotations

import geothai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areagraph.core.area_codes import (
    COUNTRY,
    DEPTH_LEVEL,
    LEVELS,
    AreaCode,
    InvalidAreaCode,
    ancestors_of,
    from_dopa8,
    level_of,
    parse_area_code,
    related,
    to_dopa8,
    within,
)
from areagraph.core.validation import InvalidInput

PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)

DIGITS = "0123456789"
PAIR = st.text(DIGITS, min_size=2, max_size=2).filter(lambda p: p != "00")
# Short forms: a province, then up to three more non-zero pairs (district, subdistrict, village).
SHORT = st.one_of(
    st.just(COUNTRY),
    st.builds(lambda p, rest: p + "".join(rest), st.text(DIGITS, min_size=2, max_size=2),
              st.lists(PAIR, max_size=3)),
)
CODES = SHORT.map(AreaCode)


@pytest.mark.parametrize(("sent", "short"), [
    ("34", "34"), ("3401", "3401"), ("340101", "340101"), ("34010101", "34010101"),
    ("TH", "TH"), (" th ", "TH"), ("\t10\n", "10"),
    ("34000000", "34"), ("20090000", "2009"), ("34010100", "340101"), ("00000000", "00"),
    ("340100", "340100"),  # only the 8-digit form is shortened
])
def test_accepted_forms_parse_to_the_short_form(sent: str, short: str) -> None:
    assert parse_area_code(sent) == short
    assert AreaCode.parse(sent) == AreaCode(short)
    assert str(AreaCode.parse(sent)) == AreaCode.parse(sent).short == short


@pytest.mark.parametrize("sent", ["", "3", "345", "34010", "3401010", "3401010101", "๓๔",
                                  "๓๔๐๑", "T H", "THA", "34a1", "+34", "3\x004", "TH34"])
def test_other_text_is_refused_with_the_gateway_s_message(sent: str) -> None:
    with pytest.raises(InvalidAreaCode) as refused:
        AreaCode.parse(sent)
    assert refused.value.message == (f"invalid area code {sent!r}: use TH, or 2, 4, 6 or 8 "
                                     "DOPA digits (0–9)")
    assert isinstance(refused.value, InvalidInput) and isinstance(refused.value, ValueError)


def test_a_long_refusal_is_quoted_short() -> None:
    with pytest.raises(InvalidAreaCode) as refused:
        parse_area_code("9" * 1000)
    assert "… (1000 characters)" in refused.value.message and len(refused.value.message) < 200


@pytest.mark.parametrize("code", ["34000000", "340100 ", "th", "3", "", "34010100"])
def test_the_value_holds_only_short_forms(code: str) -> None:
    with pytest.raises(InvalidAreaCode):
        AreaCode(code)


@PROPERTIES
@given(st.text())
def test_any_text_is_refused_or_read_as_a_short_form(text: str) -> None:
    try:
        code = AreaCode.parse(text)
    except InvalidAreaCode:
        return
    assert AreaCode.parse(code.short) == code
    if not code.is_country:
        assert AreaCode.parse(code.dopa8) == code


@PROPERTIES
@given(CODES)
def test_short_and_eight_digit_forms_round_trip(code: AreaCode) -> None:
    assert AreaCode.parse(code.short) == code
    if code.is_country:
        with pytest.raises(ValueError):
            _ = code.dopa8
        return
    assert len(code.dopa8) == 8 and code.dopa8.startswith(code.short)
    assert from_dopa8(code.dopa8) == code.short
    assert AreaCode.parse(code.dopa8) == code
    assert to_dopa8(code.short) == code.dopa8


@PROPERTIES
@given(CODES)
def test_parent_ancestors_and_level_agree(code: AreaCode) -> None:
    assert DEPTH_LEVEL[code.depth] == code.level == level_of(code.short)
    assert [str(a) for a in code.ancestors] == ancestors_of(code.short)
    if code.is_country:
        assert code.parent is None and code.ancestors == ()
        return
    parent = code.parent
    assert parent is not None
    assert code.ancestors == (*parent.ancestors, parent)
    assert code.ancestors[0] == AreaCode.country()
    assert LEVELS.index(parent.level) == LEVELS.index(code.level) - 1
    assert [a.depth for a in code.ancestors] == sorted({a.depth for a in code.ancestors})
    for level in LEVELS[:LEVELS.index(code.level) + 1]:
        assert code.at(level) in (*code.ancestors, code)
    assert all(code.at(level) is None for level in LEVELS[LEVELS.index(code.level) + 1:])


@PROPERTIES
@given(CODES, CODES)
def test_within_is_the_subtree_of_the_ancestors(code: AreaCode, other: AreaCode) -> None:
    inside = code == other or other in code.ancestors
    assert code.within(other) is inside
    assert other.contains(code) is inside
    assert within(code.short, [other.short]) is inside
    assert within(code.short, [COUNTRY, other.short])
    assert not within(code.short, [])
    assert related(code.short, other.short) is (inside or other.within(code))
    if code != other:
        assert not (code.within(other) and other.within(code))


def test_every_area_geothai_ships_parses_at_its_level() -> None:
    count = {"province": 0, "district": 0, "subdistrict": 0}
    for province in geothai.provinces():
        p = AreaCode.parse(province.code)
        assert (p.level, p.parent) == ("province", AreaCode.country())
        assert AreaCode.parse(p.dopa8) == p
        count["province"] += 1
        for district in geothai.districts(province.code):
            d = AreaCode.parse(district.code)
            assert (d.level, d.parent) == ("district", p)
            assert AreaCode.parse(d.dopa8) == d
            count["district"] += 1
            for subdistrict in geothai.subdistricts(district.code):
                s = AreaCode.parse(subdistrict.code)
                assert (s.level, s.parent, s.ancestors) == ("subdistrict", d, (p.parent, p, d))
                assert s.within(p) and not p.within(s)
                assert AreaCode.parse(s.dopa8) == s
                count["subdistrict"] += 1
    assert count == {"province": 77, "district": 928, "subdistrict": 7436}


def test_bangkok_khet_and_khwaeng_are_districts_and_subdistricts() -> None:
    khwaeng = AreaCode.parse("10010100")  # Phra Borom Maha Ratchawang, khet Phra Nakhon
    assert khwaeng == AreaCode("100101") and khwaeng.level == "subdistrict"
    assert [a.short for a in khwaeng.ancestors] == ["TH", "10", "1001"]


def test_villages_sit_below_their_subdistrict() -> None:
    village = AreaCode.parse("34010101")
    assert village.level == "village" and village.depth == 8
    assert village.parent == AreaCode("340101")
    assert village.at("province") == AreaCode("34") and village.at("country") == AreaCode("TH")
