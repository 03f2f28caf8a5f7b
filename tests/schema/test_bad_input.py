"""Bad input gets a GraphQL error with extensions.code, never a 500; unknown codes are null."""

from __future__ import annotations

import pytest

from tests.conftest import Gateway


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ area(code: "3x") { code } }', "code"),
        ('{ area(code: "") { code } }', "code"),
        ("{ areas(first: 1001) { totalCount } }", "first"),
        ("{ areas(first: -1) { totalCount } }", "first"),
        ('{ areas(after: "not-a-cursor") { totalCount } }', "after"),
        ('{ projects(areaCode: "ABC") { totalCount } }', "areaCode"),
        ("{ projects(fiscalYear: 2569) { totalCount } }", "fiscalYear"),
        ('{ indicators(sdgGoal: "six") { code } }', "sdgGoal"),
        ('{ area(code: "34") { observations(indicatorCode: "SAFE_WATER_PCT", from: "2026-13")'
         " { value } } }", "from"),
    ],
)
async def test_bad_arguments_are_refused_with_a_code(gateway: Gateway, query: str,
                                                     argument: str) -> None:
    body = await gateway.query(query)
    assert body["_status"] == 200
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert "Traceback" not in error["message"]


@pytest.mark.parametrize("query", [
    "{ areas(level: VILLAGE) { totalCount } }",
    "{ complaints(status: LOST) { totalCount } }",
    '{ areas(first: "ten") { totalCount } }',
])
async def test_values_of_the_wrong_type_are_bad_input(gateway: Gateway, query: str) -> None:
    body = await gateway.query(query)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body.get("data") is None


async def test_unknown_enum_in_variables_is_bad_input(gateway: Gateway) -> None:
    body = await gateway.query("query($l: AreaLevel) { areas(level: $l) { totalCount } }",
                               {"l": "VILLAGE"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_syntax_errors_and_unknown_fields_have_codes(gateway: Gateway) -> None:
    parse = await gateway.query("{ areas(")
    assert parse["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    unknown = await gateway.query("{ nothingHere }")
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_well_formed_but_unknown_codes_are_null(gateway: Gateway) -> None:
    body = await gateway.query('{ a: area(code: "99") { code } b: area(code: "349999") { code }'
                               ' i: indicator(code: "NOPE") { code } }')
    assert "errors" not in body
    assert body["data"] == {"a": None, "b": None, "i": None}
