"""Personal data never shows in errors, logs or audit variables for a role that may not see it."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import Gateway

NAME, PHONE, CITIZEN_ID = "ประภาพร วงศ์ใหญ่", "0891234567", "3100501234563"
FILE = """mutation File($input: FileComplaintInput!) {
  fileComplaint(input: $input) { ticketNo complainant { name phone citizenId masked } } }"""


def _input(**changes: str) -> dict[str, str]:
    return {"channel": "HOTLINE_1567", "categoryCode": "land", "areaCode": "340101",
            "subject": "ข้อพิพาทแนวเขตที่ดิน", "complainantName": NAME,
            "complainantPhone": PHONE, "complainantCitizenId": CITIZEN_ID, **changes}


def _leaks(text: str) -> list[str]:
    return [v for v in (NAME, PHONE, CITIZEN_ID, "ประภาพร") if v in text]


async def test_personal_data_stays_out_of_errors_logs_and_audit(
        gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gateway.login("complaint_officer", ["34"], subject="officer")
    filed = await gateway.query(FILE, {"input": _input()})
    ticket = filed["data"]["fileComplaint"]["ticketNo"]
    assert filed["data"]["fileComplaint"]["complainant"]["citizenId"] == CITIZEN_ID

    # refused writes and bad input answer without echoing what was sent
    gateway.login("executive", subject="exec")
    refused = await gateway.query(FILE, {"input": _input()})
    gateway.login("complaint_officer", ["34"], subject="officer")
    invalid = await gateway.query(FILE, {"input": _input(complainantCitizenId="31005012345",
                                                         areaCode="x")})
    outside = await gateway.query(FILE, {"input": _input(areaCode="100101")})
    for body in (refused, invalid, outside):
        assert body.get("errors"), body
        assert not _leaks(str(body["errors"])), body["errors"]

    # a masked reader sees the masked form only
    gateway.login("executive", subject="exec")
    read = await gateway.query(
        'query Read($t: String!) { complaint(ticketNo: $t) { complainant { name phone '
        "citizenId masked } } }", {"t": ticket})
    person = read["data"]["complaint"]["complainant"]
    assert person["masked"] and not _leaks(str(person))

    gateway.login("auditor", subject="auditor")
    log = await gateway.query("{ auditLog { edges { node { operation variables changes } } } }")
    entries = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    assert any(e["operation"] == "File" for e in entries)
    assert not _leaks(str(entries)), entries
    leaked = [(r.name, r.getMessage()[:300]) for r in caplog.records if _leaks(r.getMessage())]
    assert not leaked, leaked
