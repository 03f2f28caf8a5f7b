"""The access matrix: role × area relation × every root field and personal field, over HTTP.

The expectations below are written out from the policy table in the README, not computed from
`auth.policy`, so a change in the code that the table does not show makes a cell fail.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from areagraph.auth.api_keys import create_api_key
from areagraph.auth.policy import ROOT_FIELDS
from areagraph.connectors.local.models import Complaint, Project, ProjectArea
from areagraph.connectors.simulators.server import SIMULATORS
from areagraph.core.settings import Settings
from tests.conftest import Gateway
from tests.domain.helpers import count_rows, record, row
from tests.simulators import Simulators, write_sources_file

RELATIONS = ("own", "child", "parent", "other", "other_child")


@dataclass(frozen=True)
class Caller:
    roles: tuple[str, ...]
    areas: tuple[str, ...] = ()
    agency: str | None = None
    topics: tuple[str, ...] = ()
    home: tuple[str, str, str, str, str] = ("3401", "340101", "34", "1001", "100101")


CALLERS: dict[str, Caller] = {
    "anonymous": Caller(roles=()),
    "ministry_admin": Caller(roles=("ministry_admin",)),
    "executive": Caller(roles=("executive",)),
    "governor": Caller(roles=("governor",), areas=("34",),
                       home=("34", "3401", "TH", "10", "1001")),
    "district_chief": Caller(roles=("district_chief",), areas=("3401",)),
    "department_officer": Caller(roles=("department_officer",), agency="DPT"),
    "complaint_officer": Caller(roles=("complaint_officer",), areas=("34",),
                                home=("34", "3401", "TH", "10", "1001")),
    "partner": Caller(roles=("partner",), topics=("poverty",)),
    "auditor": Caller(roles=("auditor",)),
}

# Each field: a query for area X, and how to read the answer.
FIELDS: dict[str, str] = {
    "area": '{ r: area(code: "X") { code } }',
    "areas": '{ r: areas(parentCode: "X", first: 1) { totalCount } }',
    "indicators": "{ r: indicators(topic: POVERTY) { code } }",
    "indicator": '{ r: indicator(code: "POVERTY_LINE_PCT") { code } }',
    "agencies": "{ r: agencies { code } }",
    "projects": '{ r: projects(areaCode: "X") { totalCount } }',
    "complaints": '{ r: complaints(areaCode: "X") { totalCount } }',
    "auditLog": "{ r: auditLog(first: 1) { totalCount } }",
    "observations:poverty": '{ r: area(code: "X") { observations(indicatorCode: '
                            '"POVERTY_LINE_PCT") { period value } } }',
    "observations:water": '{ r: area(code: "X") { observations(indicatorCode: '
                          '"SAFE_WATER_PCT") { period value } } }',
    "complainant": '{ r: complaints(areaCode: "X", first: 1) { edges { node { '
                   "complainant { name phone citizenId masked } } } } }",
    "indicator:poverty": '{ r: area(code: "X") { indicator(code: "BASIC_SERVICES_PCT", '
                         'period: "FY2026") { value } } }',
    "indicatorValues:poverty": '{ r: area(code: "X") { indicatorValues(codes: '
                               '["THAIQM_INCOME_HH"], period: "FY2026") { areaCode value source } '
                               "} }",
    "events": '{ r: area(code: "X") { events(period: "FY2026") { kind reference } } }',
    "me": "{ r: me { subject } }",
    "sources": "{ r: sources { name } }",
    "apiKeys": "{ r: apiKeys { id } }",
}

ALL, NONE = "YYYYY", "NNNNN"
# Y allowed, N refused, M masked, U unmasked; columns: own, child, parent, other, other_child.
EXPECTED: dict[str, dict[str, str]] = {
    "anonymous": dict.fromkeys(FIELDS, NONE),
    "ministry_admin": {**dict.fromkeys(FIELDS, ALL), "complainant": "UUUUU"},
    "executive": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE, "complainant": "MMMMM",
                  "apiKeys": NONE},
    "auditor": {**dict.fromkeys(FIELDS, ALL), "complainant": "MMMMM", "apiKeys": NONE},
    "governor": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE, "projects": "YYYNN",
                 "complaints": "YYYNN", "observations:poverty": "YYYYN",
                 "observations:water": "YYYYN", "complainant": "MMMNN",
                 "indicator:poverty": "YYYYN", "indicatorValues:poverty": "YYYYN",
                 "events": "YYNNN", "apiKeys": NONE},
    "district_chief": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE, "projects": "YYYNN",
                       "complaints": "YYYNN", "observations:poverty": "YYYYN",
                       "observations:water": "YYYYN", "complainant": "MMMNN",
                       "indicator:poverty": "YYYYN", "indicatorValues:poverty": "YYYYN",
                       "events": "YYNNN", "apiKeys": NONE},
    "department_officer": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE,
                           "complainant": "MMMMM", "apiKeys": NONE},
    "complaint_officer": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE, "projects": NONE,
                          "observations:poverty": NONE, "observations:water": NONE,
                          "complaints": "YYYNN", "complainant": "UUUNN",
                          "indicator:poverty": NONE, "indicatorValues:poverty": NONE,
                          "events": NONE, "sources": NONE, "apiKeys": NONE},
    "partner": {**dict.fromkeys(FIELDS, ALL), "auditLog": NONE, "projects": NONE,
                "complaints": NONE, "observations:poverty": "YNYYN",
                "observations:water": NONE, "complainant": NONE,
                "indicator:poverty": "YNYYN", "indicatorValues:poverty": "YNYYN",
                "events": NONE, "sources": NONE, "apiKeys": NONE},
}

ROOT_FIELDS_COVERED = {"area", "areas", "indicators", "indicator", "agencies", "projects",
                       "complaints", "auditLog", "me", "sources", "apiKeys"}


async def _seed_records(gateway: Gateway) -> None:
    now = datetime.now(UTC)
    async with gateway.services.database.unit_of_work() as session:
        for n, (area, agency) in enumerate([("340101", "DPT"), ("100101", "DDPM")]):
            await session.execute(insert(Project).values(
                code=f"M-{n}", title_th="โครงการทดสอบ", title_en="Test project", agency_code=agency,
                strategy="s", fiscal_year=2026, budget_allocated=Decimal(1000),
                budget_disbursed=Decimal(0), status="planned", progress_pct=0.0,
                start_date=now.date(), end_date=now.date(), updated_at=now))
            await session.execute(insert(ProjectArea).values(project_code=f"M-{n}",
                                                             area_code=area))
            await session.execute(insert(Complaint).values(
                ticket_no=f"1567-T-{n}", channel="web", category_code="water", area_code=area,
                subject="น้ำไม่ไหล", status="assigned", received_at=now,
                due_at=now + timedelta(days=15), assigned_agency_code="DPT",
                complainant_name="สมชาย ใจดี", complainant_phone="0812345678",
                complainant_citizen_id="1101700203451", updated_at=now))


def _outcome(field: str, body: dict[str, Any]) -> str:
    """N (refused), M or U (masked or not), or Y followed by what the answer holds (`_content`):
    an answer with any other error, a source's failure included, is no allowed cell."""
    errors = body.get("errors") or []
    codes = {e.get("extensions", {}).get("code") for e in errors}
    if codes & {"FORBIDDEN", "UNAUTHENTICATED"}:
        return "N"
    assert not errors, body
    if field == "complainant":
        edges = body["data"]["r"]["edges"]
        assert edges, body
        person = edges[0]["node"]["complainant"]
        if person["masked"]:
            assert person["phone"] == "*******678" and "สมชาย" not in person["name"]
            return "M"
        assert person["citizenId"] == "1101700203451"
        return "U"
    return "Y" + json.dumps(_content(field, body["data"]["r"]), ensure_ascii=False,
                            sort_keys=True)


def _content(field: str, answer: Any) -> Any:
    """What an answer holds, in a form that compares: counts, codes, values."""
    if field in ("areas", "projects", "complaints", "auditLog"):
        return answer["totalCount"]
    if field == "area":
        return answer["code"]
    if field in ("indicators", "agencies"):
        return sorted(a["code"] for a in answer)
    if field == "indicator":
        return answer["code"]
    if field.startswith("observations"):
        return sorted((o["period"], o["value"]) for o in answer["observations"])
    if field == "indicator:poverty":
        return answer["indicator"]["value"]
    if field == "indicatorValues:poverty":
        return sorted((v["areaCode"], v["value"], v["source"]) for v in answer["indicatorValues"])
    if field == "events":
        return sorted((e["kind"], e["reference"]) for e in answer["events"])
    if field == "me":
        return answer["subject"]
    if field == "sources":
        return sorted(s["name"] for s in answer)
    if field == "apiKeys":
        return len(answer)
    raise AssertionError(f"no content rule for {field}")


def _for_area(template: str) -> Callable[[str, str], str]:
    return lambda area, _cell: template.replace("X", area)


Content = Callable[[str, str, str, Any], Any]


async def walk_matrix(gateway: Gateway, callers: dict[str, Caller],
                      queries: dict[str, Callable[[str, str], str]],
                      outcome: Callable[[str, dict[str, Any]], str],
                      expected: dict[str, dict[str, str]],
                      content: Content | None = None) -> list[str]:
    """Ask every (caller, query, area relation) cell over HTTP; the cells that differ.

    With `content`, an allowed cell's outcome is "Y" and what it saw, which must be
    `content(role, query name, area, seen)`: the data the caller's scope grants, no more."""
    mismatches: list[str] = []
    cells = 0
    for role, caller in callers.items():
        gateway.logout()
        if caller.roles:
            gateway.login(list(caller.roles), caller.areas, caller.agency, caller.topics,
                          subject=f"{role}-user")
        for name, query in queries.items():
            for index, (relation, area) in enumerate(zip(RELATIONS, caller.home, strict=True)):
                body = await gateway.query(query(area, f"{role[:6]}-{relation}"))
                got = outcome(name, body)
                want = expected[role][name][index]
                if want == "Y" and content is not None:
                    seen = json.loads(got[1:]) if got[:1] == "Y" else None
                    want += json.dumps(await _maybe(content(role, name, area, seen)),
                                       ensure_ascii=False, sort_keys=True)
                cells += 1
                if got != want and got[0] != want:
                    mismatches.append(f"{role} {name} {relation}({area}): want {want} got {got}"
                                      f" {body.get('errors')}")
    assert cells == len(callers) * len(queries) * len(RELATIONS)
    return mismatches


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.fixture
def settings(settings: Settings, sims: Simulators, tmp_path: Path) -> Settings:
    """The suite's settings with every source simulator: an allowed cell must be answered."""
    return settings.model_copy(update={
        "sources_file": write_sources_file(tmp_path / "sources.toml", sims)})


# What the matrix's store holds besides the reference data, written out by hand.
FIGURES = {"340101": {"POVERTY_LINE_PCT": ("FY2026", 12.5), "SAFE_WATER_PCT": ("2026-03", 81.0),
                      "BASIC_SERVICES_PCT": ("FY2026", 70.0)},
           "100101": {"POVERTY_LINE_PCT": ("FY2026", 3.5), "SAFE_WATER_PCT": ("2026-03", 99.0),
                      "BASIC_SERVICES_PCT": ("FY2026", 90.0)}}
# BASIC_SERVICES_PCT rolled up (a mean of the deepest level reported) from those two figures
BASIC_SERVICES = {"340101": 70.0, "3401": 70.0, "34": 70.0, "100101": 90.0, "1001": 90.0,
                  "10": 90.0, "TH": 80.0}
PROJECTS = [("340101", "DPT"), ("100101", "DDPM")]  # (area, agency), as _seed_records writes
COMPLAINTS = [("340101", "DPT"), ("100101", "DPT")]  # (area, assigned agency)
CHILDREN = {"TH": 77, "10": 50, "34": 25, "1001": 12, "3401": 12, "100101": 0, "340101": 0}
# Answers the same for every caller allowed them, taken from the ministry administrator's
BY_REFERENCE = {"indicators", "agencies", "indicatorValues:poverty", "events"}


async def _seed_figures(gateway: Gateway) -> None:
    recorded = await record(gateway, [row(code, area, period, value)
                                      for area, figures in FIGURES.items()
                                      for code, (period, value) in figures.items()])
    assert recorded["written"] == 6, recorded


def _seen(role: str, area: str, records: list[tuple[str, str]]) -> int:
    """Records under `area` that the README's table lets `role` read: its own areas' subtrees
    (governor, district chief, complaint officer) or its own agency's (department officer)."""
    caller = CALLERS[role]
    return sum(1 for at, agency in records
               if (area == "TH" or at.startswith(area))
               and (not caller.areas or any(at.startswith(a) for a in caller.areas))
               and caller.agency in (None, agency))


class Granted:
    """What an allowed cell must see: written out here, or (for what does not depend on the
    caller: catalogues, source data) the ministry administrator's own answer, which must not
    be empty where there is data."""

    def __init__(self, gateway: Gateway) -> None:
        self.admin = Gateway(gateway.app, gateway.client, gateway.statements)
        self.admin.login("ministry_admin", subject="reference-admin")
        self._answers: dict[tuple[str, str], Any] = {}

    async def __call__(self, role: str, field: str, area: str, seen: Any) -> Any:
        figure = FIGURES.get(area, {})
        by_hand: dict[str, Any] = {
            "area": area, "areas": CHILDREN[area], "indicator": "POVERTY_LINE_PCT",
            "projects": _seen(role, area, PROJECTS), "complaints": _seen(role, area, COMPLAINTS),
            "observations:poverty": [list(figure["POVERTY_LINE_PCT"])] if figure else [],
            "observations:water": [list(figure["SAFE_WATER_PCT"])] if figure else [],
            "indicator:poverty": BASIC_SERVICES[area],
            "me": f"{role}-user", "sources": sorted(["local", *SIMULATORS]), "apiKeys": 1,
        }
        if field == "auditLog":  # every record there is, at the time of asking
            return await count_rows(self.admin, "audit_record")
        if field in by_hand:
            return by_hand[field]
        assert field in BY_REFERENCE, field
        everything = await self._reference(field, area)
        if field == "events" and CALLERS[role].agency and seen is not None:
            # Its own agency's complaints only: a subset of the complaint events, every other
            # event kept (which complaint is whose is the source's, not written out here).
            mine, every = [tuple(e) for e in seen], [tuple(e) for e in everything]
            return seen if (set(mine) <= set(every) and
                            [e for e in mine if e[0] != "COMPLAINT"] ==
                            [e for e in every if e[0] != "COMPLAINT"]) else everything
        return everything

    async def _reference(self, field: str, area: str) -> Any:
        if (field, area) not in self._answers:
            body = await self.admin.query(FIELDS[field].replace("X", area))
            assert "errors" not in body, body
            answer = _content(field, body["data"]["r"])
            assert answer or (field == "indicatorValues:poverty" and area[:2] == "10"), (
                field, area, "nothing to compare with")  # CDD surveys no Bangkok households
            self._answers[field, area] = answer
        return self._answers[field, area]


async def test_every_cell_of_the_matrix(gateway: Gateway) -> None:
    await _seed_records(gateway)
    await _seed_figures(gateway)
    await create_api_key(gateway.services.database, name="matrix", roles=["auditor"],
                         created_by="test")
    queries: dict[str, Callable[[str, str], str]] = {
        name: _for_area(template) for name, template in FIELDS.items()}
    mismatches = await walk_matrix(gateway, CALLERS, queries, _outcome, EXPECTED,
                                   Granted(gateway))
    assert not mismatches, "\n".join(mismatches)


async def test_unmasked_reads_are_audited_and_masked_ones_are_not(gateway: Gateway) -> None:
    await _seed_records(gateway)
    query = FIELDS["complainant"].replace("X", "34")
    gateway.login("complaint_officer", ["34"], subject="officer-1")
    await gateway.query(query)
    gateway.login("executive", subject="exec-1")
    await gateway.query(query)
    gateway.login("auditor", subject="auditor-1")
    body = await gateway.query(
        "{ auditLog(personalOnly: true) { edges { node { subject personalFields } } } }")
    entries = [e["node"] for e in body["data"]["auditLog"]["edges"]]
    assert [e["subject"] for e in entries] == ["officer-1"]
    assert entries[0]["personalFields"] == [
        "1567-T-0:citizen_id", "1567-T-0:name", "1567-T-0:phone"]


async def test_every_root_field_has_a_row(gateway: Gateway) -> None:
    body = await gateway.query("{ __schema { queryType { fields { name } } "
                               "subscriptionType { fields { name } } } }")
    schema = body["data"]["__schema"]
    roots = {f["name"] for t in ("queryType", "subscriptionType") for f in schema[t]["fields"]}
    assert roots <= set(ROOT_FIELDS), roots - set(ROOT_FIELDS)
    missing_rows = roots - ROOT_FIELDS_COVERED - MATRIX_ELSEWHERE
    assert not missing_rows, f"root fields with no row in the access matrix: {missing_rows}"


# Root fields whose matrix rows live beside their feature's tests.
MATRIX_ELSEWHERE: set[str] = {
    # tests/monitoring/test_access.py
    "observationHistory", "targets", "complaint", "complaintCategories",
    "complaintStatistics", "alerts", "alertRules", "dashboard",
    # tests/realtime/test_subscriptions.py (scope, masking and refusal per subscription)
    "observationRecorded", "complaintUpdated", "projectUpdated", "sourceEvent", "alertRaised",
}
