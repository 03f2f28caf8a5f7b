"""The audit trail keeps no personal data, whatever the client names its variables: values are
redacted by the argument or input field they feed, and inline values do not reach the hash."""

from __future__ import annotations

import json
from typing import Any

from graphql import build_schema, parse

from areagraph.resolvers.audit_redaction import REDACTED, redact
from tests.conftest import Gateway
from tests.domain.helpers import rows_of

NAME, PHONE, CITIZEN_ID = "ประภาพร วงศ์ใหญ่", "0891234567", "3100501234563"
FIELDS = ('channel: HOTLINE_1567, categoryCode: "land", areaCode: "340101", subject: $s, '
          "complainantName: $n, complainantPhone: $p, complainantCitizenId: $c")
ODD_NAMES = f"""mutation Odd($s: String!, $n: String!, $p: String!, $c: String!) {{
  fileComplaint(input: {{{FIELDS}}}) {{ ticketNo }} }}"""
WHOLE_INPUT = """mutation Whole($payload: FileComplaintInput!) {
  fileComplaint(input: $payload) { ticketNo } }"""
INLINE = """mutation Inline { fileComplaint(input: {channel: HOTLINE_1567, categoryCode: "land",
  areaCode: "340101", subject: "ข้อพิพาทแนวเขตที่ดิน", complainantName: "%s",
  complainantPhone: "%s"}) { ticketNo } }"""


def _leaks(rows: list[dict[str, Any]]) -> list[str]:
    text = json.dumps(rows, ensure_ascii=False, default=str)
    return [v for v in (NAME, PHONE, CITIZEN_ID, "ประภาพร", "0891234") if v in text]


async def test_filing_with_any_variable_names_keeps_no_personal_data(gateway: Gateway) -> None:
    gateway.login("complaint_officer", ["34"], subject="officer")
    odd = await gateway.query(ODD_NAMES, {"s": "ข้อพิพาทแนวเขตที่ดิน", "n": NAME, "p": PHONE,
                                          "c": CITIZEN_ID})
    whole = await gateway.query(WHOLE_INPUT, {"payload": {
        "channel": "WEB", "categoryCode": "land", "areaCode": "340101", "subject": "ที่ดิน",
        "complainantName": NAME, "complainantPhone": PHONE, "complainantCitizenId": CITIZEN_ID}})
    inline = await gateway.query(INLINE % (NAME, PHONE))
    inline_other = await gateway.query(INLINE % ("สมศรี มีสุข", "0810000000"))
    for body in (odd, whole, inline, inline_other):
        assert "errors" not in body, body

    stored = await rows_of(gateway, "SELECT * FROM audit_record ORDER BY id")
    assert [r["operation"] for r in stored] == ["Odd", "Whole", "Inline", "Inline"]
    assert not _leaks(stored)
    variables = [r["variables"] if isinstance(r["variables"], dict)
                 else json.loads(r["variables"]) for r in stored]
    # what is not personal stays, so the record still says what was done
    assert variables[0] == {"s": "ข้อพิพาทแนวเขตที่ดิน", "n": REDACTED, "p": REDACTED,
                            "c": REDACTED}
    payload = variables[1]["payload"]
    assert payload["subject"] == "ที่ดิน" and payload["areaCode"] == "340101"
    assert {payload[k] for k in payload if k.startswith("complainant")} == {REDACTED}
    # the hash is of the document with the inline personal values taken out
    assert stored[2]["query_hash"] == stored[3]["query_hash"]

    gateway.login("auditor", subject="auditor")
    log = await gateway.query("{ auditLog { edges { node { operation variables } } } }")
    assert not _leaks(log["data"]["auditLog"]["edges"]), log


SCHEMA = build_schema("""
type Query { find(who: Person, people: [Person!], phone: String, note: String,
                   tags: [String!]): Int }
input Person { label: String, mobilePhone: String, friends: [Person!] }
""")


def test_lists_input_objects_and_defaults_are_redacted_by_field() -> None:
    document = parse("""query Q($a: String, $b: [Person!], $c: Person, $d: String = "0891234567",
      $e: String, $t: [String!]) {
      x: find(people: $b, who: $c, note: $a, tags: $t)
      y: find(phone: $d, people: [{label: $e, mobilePhone: "0899999999"}, {friends: [{
        mobilePhone: $e}]}])
      ...F }
    fragment F on Query { z: find(who: {label: "ok", friends: [{mobilePhone: $a}]}) }""")
    kept = redact(SCHEMA, document.definitions, {
        "a": "note", "b": [{"label": "x", "mobilePhone": "0811111111",
                            "friends": [{"mobilePhone": "0822222222", "label": "y"}]}],
        "c": {"label": "z", "mobilePhone": "0833333333"}, "d": "0891234567", "e": "e",
        "t": ["t1"], "undeclared": "0844444444"})
    assert kept.variables == {
        "a": REDACTED,  # feeds a phone in the fragment, even though `note` is harmless
        "b": [{"label": "x", "mobilePhone": REDACTED,
               "friends": [{"mobilePhone": REDACTED, "label": "y"}]}],
        "c": {"label": "z", "mobilePhone": REDACTED}, "d": REDACTED, "e": REDACTED,
        "t": ["t1"], "undeclared": REDACTED}
    assert "0899999999" not in kept.document and "0891234567" not in kept.document
    assert '"ok"' in kept.document and REDACTED in kept.document


async def test_an_export_keeps_only_its_own_filters(gateway: Gateway) -> None:
    gateway.login("auditor", subject="auditor")
    response = await gateway.client.get(
        "/api/v1/exports/audit-log", headers=gateway.headers,
        params={"format": "jsonl", "operation": "Odd", "complainantPhone": PHONE, "n": NAME})
    assert response.status_code == 200, response.text
    [stored] = await rows_of(gateway, "SELECT * FROM audit_record")
    assert stored["operation"] == "exportAuditLog" and not _leaks([stored])
    kept = stored["variables"]
    assert (kept if isinstance(kept, dict) else json.loads(kept)) == {
        "format": "jsonl", "operation": "Odd"}
