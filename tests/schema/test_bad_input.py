"""Bad input gets a GraphQL error with extensions.code, never a 500; unknown codes are null."""

from __future__ import annotations

import base64
import json

import pytest

from tests.conftest import Gateway
from tests.domain.helpers import RECORD, count_rows, row


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


THAI_DIGITS = [
    ('{ area(code: "๓๔") { code } }', "code"),
    ('{ area(code: "๓๔๐๑") { code } }', "code"),
    ('{ projects(areaCode: "๘๓") { totalCount } }', "areaCode"),
    ('{ observationHistory(indicatorCode: "SAFE_WATER_PCT", areaCode: "34", '
     'period: "๒๐๒๕-04") { value } }', "period"),
    ('{ area(code: "34") { observations(indicatorCode: "SAFE_WATER_PCT", from: "๒๐๒๕-04")'
     " { value } } }", "from"),
    ('{ indicators(sdgGoal: "๖") { code } }', "sdgGoal"),
]


@pytest.mark.parametrize(("query", "argument"), THAI_DIGITS)
async def test_codes_and_periods_take_ascii_digits_only(gateway: Gateway, query: str,
                                                        argument: str) -> None:
    [error] = (await gateway.query(query))["errors"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
        "BAD_USER_INPUT", argument)


async def test_a_period_in_thai_digits_is_a_refused_row(gateway: Gateway) -> None:
    body = await gateway.query(RECORD, {"input": [
        row("SAFE_WATER_PCT", "830101", "๒๐๒๕-04", 50)]})
    [error] = body["data"]["recordObservations"]["errors"]
    assert (error["index"], error["field"]) == (0, "period")
    assert await count_rows(gateway, "observation") == 0


@pytest.mark.parametrize("path", ["/api/v1/areas/๓๔", "/api/v1/areas?parent=๓๔"])
async def test_rest_refuses_thai_digits(gateway: Gateway, path: str) -> None:
    response = await gateway.client.get(path, headers=gateway.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_USER_INPUT"


async def test_open311_refuses_thai_digits(gateway: Gateway) -> None:
    response = await gateway.client.post("/open311/v2/requests.json", headers=gateway.headers,
                                         data={"service_code": "water", "description": "น้ำ",
                                               "address_id": "๘๓๐๑๐๑"})
    assert 400 <= response.status_code < 500
    assert await count_rows(gateway, "complaint") == 0


def _cursor(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


CONNECTIONS = {
    "complaint": "complaints", "audit": "auditLog", "alert": "alerts", "area": "areas",
    "project": "projects",
}


@pytest.mark.parametrize("kind", sorted(CONNECTIONS))
async def test_tampered_cursors_are_bad_input_on_every_connection(gateway: Gateway,
                                                                  kind: str) -> None:
    field = CONNECTIONS[kind]
    for key in ["²", "๑๒", "1" * 30, "9" * 5000, "-1", " 1", "", "2147483648"]:
        body = await gateway.query(f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}",
                                   {"a": _cursor(kind, key)})
        assert body["_status"] == 200
        if kind in ("area", "project") and key and len(key) < 100:
            assert "errors" not in body, body  # text keys: any short text is a place in order
            continue
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
            "BAD_USER_INPUT", "after"), key
        assert len(error["message"]) < 200


FILE = """mutation($subject: String!, $detail: String!, $name: String!) {
  fileComplaint(input: {channel: HOTLINE_1567, categoryCode: "water", areaCode: "830101",
    subject: $subject, detail: $detail, complainantName: $name}) { ticketNo subject } }"""
GOOD = {"subject": "น้ำประปาไม่ไหล", "detail": "", "name": "สมชาย ใจดี"}


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("subject", "x" * 400_000, "at most 300 characters"),
    ("subject", "x" * 301, "at most 300 characters"),
    ("detail", "ก" * 4_001, "at most 4000 characters"),
    ("name", "n" * 201, "at most 200 characters"),
    ("subject", "น้ำ\x00ไม่ไหล", "NUL"),
    ("detail", "\x00", "NUL"),
])
async def test_text_is_refused_when_it_cannot_be_stored(gateway: Gateway, field: str, value: str,
                                                        reason: str) -> None:
    response = await gateway.client.post(
        "/graphql", headers={**gateway.headers, "Content-Type": "application/json"},
        content=json.dumps({"query": FILE, "variables": {**GOOD, field: value}}).encode())
    assert response.status_code == 200, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    where = {"name": "complainantName"}.get(field, field)
    assert error["extensions"]["argument"] == f"input.{where}"
    assert reason in error["message"]
    assert await count_rows(gateway, "complaint") == 0
    filed = await gateway.query(FILE, {**GOOD, field: "ก" * 200})
    assert filed["data"]["fileComplaint"]["ticketNo"]


@pytest.mark.parametrize(("field", "escape"), [("subject", "x\\ud800y"), ("name", "\\udfff")])
async def test_a_lone_surrogate_is_refused_however_it_is_sent(gateway: Gateway, field: str,
                                                              escape: str) -> None:
    # As a JSON escape (`"\ud800"`, as a client's JSON encoder sends it): not UTF-8 text, so the
    # request body is refused whole.
    response = await gateway.client.post(
        "/graphql", headers={**gateway.headers, "Content-Type": "application/json"},
        content=json.dumps({"query": FILE, "variables": {
            **GOOD, field: escape.encode().decode("unicode_escape")}}).encode())
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    # As a GraphQL string escape in the document: not a Unicode escape, so not a document.
    literal = {**GOOD, field: escape}
    body = await gateway.query(
        'mutation { fileComplaint(input: {channel: HOTLINE_1567, categoryCode: "water", '
        f'areaCode: "830101", subject: "{literal["subject"]}", '
        f'complainantName: "{literal["name"]}"}}) {{ ticketNo }} }}')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Invalid Unicode escape" in error["message"]
    assert await count_rows(gateway, "complaint") == 0


async def test_text_limits_apply_to_literals_and_nested_arguments(gateway: Gateway) -> None:
    long_note = "x" * 2_001
    body = await gateway.query(f'mutation {{ transitionComplaint(ticketNo: "1", '
                               f'toStatus: ACCEPTED, note: "{long_note}") {{ status }} }}')
    assert body["errors"][0]["extensions"]["argument"] == "note"
    body = await gateway.query('{ area(code: "34") { observations(indicatorCode: "A\\u0000B")'
                               " { value } } }")
    assert body["errors"][0]["extensions"]["argument"] == "indicatorCode"


@pytest.mark.parametrize("search", ["%", "_", "%%", "\\", "\\%", "_ _"])
async def test_like_wildcards_in_a_search_match_only_themselves(gateway: Gateway,
                                                                search: str) -> None:
    body = await gateway.query("query($s: String) { areas(search: $s) { totalCount } }",
                               {"s": search})
    assert body["data"]["areas"]["totalCount"] == 0


async def test_a_search_still_finds_names(gateway: Gateway) -> None:
    body = await gateway.query('{ areas(search: "ภูเก็ต") { edges { node { code } } } }')
    assert {"code": "83"} in [e["node"] for e in body["data"]["areas"]["edges"]]
