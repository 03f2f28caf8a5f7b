"""Property-based: whatever codes, periods, numbers, text and cursors a client sends, the gateway
answers with data or coded errors (never a 500 or an internal error), and what it accepts it
reads back unchanged.

Examples are few and derandomized so CI stays fast and repeatable; each test runs on SQLite and
PostgreSQL through the `gateway` fixture, which is shared by a test's examples (so the checks
also meet the rows earlier examples stored).
"""

from __future__ import annotations

import base64
import itertools
import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import Gateway

PROPERTIES = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow, HealthCheck.data_too_large])

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# Any character, lone surrogates and NUL included (Hypothesis leaves surrogates out by default).
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs"]), st.just("\x00"))
TEXT = st.one_of(st.text(ANY_CHAR, max_size=40), st.text(alphabet="กขค น้ำ%_\\", max_size=20),
                 st.integers(250, 12_000).map(lambda n: "ก" * n))
AREA_CODES = st.one_of(
    st.sampled_from(["TH", "83", "8301", "830101", "34", "340101", "83010100", " 83 "]),
    st.text(alphabet="0123456789" + THAI_DIGITS + "THx", min_size=1, max_size=9),
    st.text(ANY_CHAR, max_size=12))
PERIODS = st.one_of(
    st.sampled_from(["2026-03", "2025-10", "FY2026", "2026-Q1", "FY2026-Q2", "2026"]),
    st.from_regex(rf"\A(FY)?[0-9{THAI_DIGITS}]{{4}}(-Q[0-9]|-[0-9{THAI_DIGITS}]{{2}})?\Z"),
    st.text(ANY_CHAR, max_size=12))
NUMBERS = st.one_of(st.floats(), st.sampled_from([1.7e308, -1.7e308, 1e15, 1e14, 5e-324, -0.0]),
                    st.integers(-(10**6), 10**6).map(float))
DECIMALS = st.one_of(
    st.decimals(), st.sampled_from(["Infinity", "NaN", "1e999999", "100000000000000", "0.01"]),
    st.integers(0, 10**16).map(str))
KEYS = st.one_of(st.integers(-5, 10**20).map(str), st.text(ANY_CHAR, max_size=30),
                 st.text(alphabet="0123456789²" + THAI_DIGITS, max_size=40))

ALLOWED_CODES = {"BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "CONFLICT"}


def _sound(body: dict[str, Any], sent: object = None) -> dict[str, Any]:
    """The answer is a 200 whose errors each carry a client-facing code."""
    assert body["_status"] == 200, (body, sent)
    for error in body.get("errors", []):
        assert error["extensions"]["code"] in ALLOWED_CODES, (error, sent)
        assert "Traceback" not in error["message"]
    return body


async def _post(gateway: Gateway, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Variables as a JSON encoder sends them (lone surrogates as `\\ud800` escapes)."""
    response = await gateway.client.post(
        "/graphql", headers={**gateway.headers, "Content-Type": "application/json"},
        content=json.dumps({"query": query, "variables": variables}).encode())
    body: dict[str, Any] = response.json()
    body["_status"] = response.status_code
    return _sound(body, variables)


RECORD = """mutation($i: [ObservationInput!]!) { recordObservations(input: $i) {
  accepted revisions { indicatorCode areaCode period value } errors { index field reason } } }"""
HISTORY = """query($c: String!, $a: String!, $p: String!) {
  observationHistory(indicatorCode: $c, areaCode: $a, period: $p) { value } }"""


@PROPERTIES
@given(indicator=st.sampled_from(["SAFE_WATER_PCT", "DISASTER_LOSS_THB", "POPULATION"]),
       area=AREA_CODES, period=PERIODS, value=NUMBERS)
async def test_figures(gateway: Gateway, indicator: str, area: str, period: str,
                       value: float) -> None:
    row = {"indicatorCode": indicator, "areaCode": area, "period": period, "value": value}
    if value != value or value in (float("inf"), float("-inf")):
        # JSON has no NaN or Infinity: send the value as a GraphQL literal instead
        literal = RECORD.replace("$i: [ObservationInput!]!", "$a: String!, $p: String!")
        infinite = "1e999" if value > 0 else "-1e999"
        literal = literal.replace("input: $i", f'input: [{{indicatorCode: "{indicator}", '
                                  f"areaCode: $a, period: $p, value: {infinite}}}]")
        body = await _post(gateway, literal, {"a": area, "p": period})
        assert not body["data"]["recordObservations"]["accepted"]
        return
    body = await _post(gateway, RECORD, {"i": [row]})
    result = (body.get("data") or {}).get("recordObservations")
    if not result or not result["accepted"]:
        return
    [stored] = result["revisions"]
    history = await _post(gateway, HISTORY, {"c": indicator, "a": stored["areaCode"],
                                             "p": stored["period"]})
    assert history["data"]["observationHistory"][-1]["value"] == value
    for code in ("TH", stored["areaCode"][:2]):
        read = await _post(gateway, "query($a: String!, $c: String!, $p: String!) { area(code: $a)"
                           " { indicator(code: $c, period: $p) { value } } }",
                           {"a": code, "c": indicator, "p": stored["period"]})
        assert "errors" not in read, read


FILE = """mutation($s: String!, $d: String!, $n: String!, $a: String!) {
  fileComplaint(input: {channel: HOTLINE_1567, categoryCode: "water", areaCode: $a,
    subject: $s, detail: $d, complainantName: $n}) { ticketNo subject } }"""


@PROPERTIES
@given(subject=TEXT, detail=TEXT, name=TEXT, area=AREA_CODES)
async def test_complaint_text(gateway: Gateway, subject: str, detail: str, name: str,
                              area: str) -> None:
    body = await _post(gateway, FILE, {"s": subject, "d": detail, "n": name, "a": area})
    filed = (body.get("data") or {}).get("fileComplaint")
    if filed is None:
        return
    read = await _post(gateway, "query($t: String!) { complaint(ticketNo: $t) { subject } }",
                       {"t": filed["ticketNo"]})
    assert read["data"]["complaint"] == {"subject": subject.strip()}
    async with gateway.services.database.engine.connect() as conn:
        stored = await conn.execute(text("SELECT detail FROM complaint WHERE ticket_no = :t"),
                                    {"t": filed["ticketNo"]})
        assert stored.scalar_one() == detail


_PROJECT_CODES = itertools.count()
PROJECT = """mutation($code: String!, $title: String!, $budget: Decimal!, $a: String!) {
  createProject(input: {code: $code, titleTh: $title, titleEn: "p", agencyCode: "DLA",
    strategy: "s", fiscalYear: 2026, budgetAllocated: $budget, startDate: "2025-10-01",
    endDate: "2026-09-30", areaCodes: [$a]}) { code budgetAllocated } }"""
RULE = """mutation($name: String!, $threshold: Float!, $a: String!) {
  createAlertRule(name: $name, indicatorCode: "DISASTER_LOSS_THB", areaCode: $a, comparator: GT,
    threshold: $threshold) { id threshold } }"""


@PROPERTIES
@given(title=TEXT, budget=DECIMALS, area=AREA_CODES, threshold=NUMBERS)
async def test_projects_and_rules(gateway: Gateway, title: str, budget: Decimal | str,
                                  area: str, threshold: float) -> None:
    code = f"PROP-{next(_PROJECT_CODES)}"
    body = await _post(gateway, PROJECT, {"code": code, "title": title, "budget": str(budget),
                                          "a": area})
    if (body.get("data") or {}).get("createProject"):
        assert Decimal(body["data"]["createProject"]["budgetAllocated"]) == Decimal(budget)
    _sound(await gateway.query('{ dashboard(areaCode: "TH", fiscalYear: 2026) '
                               "{ projects { budgetAllocated meanProgressPct } } }"))
    if threshold == threshold and abs(threshold) != float("inf"):
        rule = await _post(gateway, RULE, {"name": title or "r", "threshold": threshold,
                                           "a": area})
        if (rule.get("data") or {}).get("createAlertRule"):
            assert rule["data"]["createAlertRule"]["threshold"] == threshold
    _sound(await gateway.query("{ alertRules { name threshold } }"))


def _cursor(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode("utf-8", "surrogatepass")).decode()


@PROPERTIES
@given(kind=st.sampled_from(["complaint", "audit", "alert", "area", "project", "other"]),
       key=KEYS, raw=st.booleans(), search=TEXT, year=st.integers(-(2**31), 2**31 - 1))
async def test_lists(gateway: Gateway, kind: str, key: str, raw: bool, search: str,
                     year: int) -> None:
    after = key if raw else _cursor(kind, key)
    for field in ("complaints", "auditLog", "alerts", "areas", "projects"):
        await _post(gateway, f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}",
                    {"a": after})
    await _post(gateway, "query($s: String, $y: Int) { areas(search: $s) { totalCount } "
                "projects(fiscalYear: $y) { totalCount } }", {"s": search, "y": year})
