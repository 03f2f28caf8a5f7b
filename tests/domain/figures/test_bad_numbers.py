"""Numbers that are not finite or not sane for their unit are refused with a reason and nothing
is stored; figures as large as allowed, and too-large ones already stored, never break a read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert

from areagraph.connectors.local.models import Observation
from areagraph.core.clock import utcnow
from areagraph.core.validation import MAX_BAHT
from tests.conftest import Gateway
from tests.domain.helpers import count_rows, record, row
from tests.domain.projects.test_projects_and_alerts import PROGRESS, create

LOSS = """query($area: String!) {
  dashboard(areaCode: $area, fiscalYear: 2026, indicatorCodes: ["DISASTER_LOSS_THB"]) {
    indicators { value achievementPct } projects { budgetAllocated } } }"""

CREATE = """mutation($budget: Decimal!) {
  createProject(input: {code: "P-BIG", titleTh: "โครงการ", titleEn: "Project", agencyCode: "DLA",
    strategy: "s", fiscalYear: 2026, budgetAllocated: $budget, startDate: "2025-10-01",
    endDate: "2026-09-30", areaCodes: ["8301"]}) { code budgetAllocated } }"""

RULE = """mutation($threshold: Float!, $code: String!) {
  createAlertRule(name: "r", indicatorCode: $code, areaCode: "83", comparator: GT,
    threshold: $threshold) { id threshold } }"""


@pytest.mark.parametrize(("indicator", "value", "reason"), [
    ("DISASTER_LOSS_THB", 1.7e308, "value must be between"),
    ("DISASTER_LOSS_THB", 2e14, "cannot exceed"),
    ("DISASTER_LOSS_THB", -1, "cannot be negative"),
    ("SAFE_WATER_PCT", 100.5, "between 0 and 100"),
    ("DROUGHT_AFFECTED_HH", 2.5, "whole number"),
])
async def test_figures_out_of_range_are_refused_per_row(gateway: Gateway, indicator: str,
                                                        value: float, reason: str) -> None:
    good = row("DISASTER_LOSS_THB", "830101", "2026-03", 1000)
    result = await record(gateway, [good, row(indicator, "830101", "2026-03", value)])
    assert not result["accepted"]
    [error] = result["errors"]
    assert (error["index"], error["field"]) == (1, "value")
    assert reason in error["reason"]
    assert await count_rows(gateway, "observation") == 0


async def test_an_infinite_literal_is_refused_per_row(gateway: Gateway) -> None:
    body = await gateway.query("""mutation { recordObservations(input: [{indicatorCode:
      "DISASTER_LOSS_THB", areaCode: "830101", period: "2026-03", value: 1e400}]) {
      accepted errors { index field reason } } }""")
    assert body["data"]["recordObservations"] == {"accepted": False, "errors": [
        {"index": 0, "field": "value", "reason": "value must be a finite number"}]}
    assert await count_rows(gateway, "observation") == 0


@pytest.mark.parametrize(("budget", "reason"), [
    ("Infinity", "finite"), ("-Infinity", "finite"), ("NaN", "finite"), ("sNaN", "finite"),
    ("1e999999", "cannot exceed"), ("-5", "negative"), ("0.001", "satang"),
])
async def test_project_budgets_must_be_sane_baht(gateway: Gateway, budget: str,
                                                 reason: str) -> None:
    body = await gateway.query(CREATE, {"budget": budget})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "budgetAllocated"
    assert reason in error["message"]
    assert await count_rows(gateway, "project") == 0


@pytest.mark.parametrize(("pct", "paid", "argument"), [
    (None, "NaN", "budgetDisbursed"), (None, "Infinity", "budgetDisbursed"),
    (None, "-1", "budgetDisbursed"), (-0.5, None, "progressPct"),
])
async def test_progress_must_be_sane(gateway: Gateway, pct: float | None, paid: str | None,
                                     argument: str) -> None:
    assert "errors" not in await create(gateway)
    body = await gateway.query(PROGRESS, {"code": "P2026-LOCAL-1", "pct": pct, "paid": paid})
    assert body["errors"][0]["extensions"]["argument"] == argument
    project = await gateway.query('{ projects { edges { node { budgetDisbursed progressPct } } } }')
    assert project["data"]["projects"]["edges"][0]["node"] == {"budgetDisbursed": "0.00",
                                                               "progressPct": 0.0}


async def test_an_infinite_progress_literal_is_refused(gateway: Gateway) -> None:
    assert "errors" not in await create(gateway)
    body = await gateway.query('mutation { updateProjectProgress(code: "P2026-LOCAL-1", '
                               "progressPct: 1e400) { progressPct } }")
    assert body["errors"][0]["extensions"]["argument"] == "progressPct"


@pytest.mark.parametrize(("code", "threshold"), [
    ("DISASTER_LOSS_THB", "1e400"), ("DISASTER_LOSS_THB", "-1e400"),
    ("DISASTER_LOSS_THB", "1e300"), ("SAFE_WATER_PCT", "120"),
])
async def test_alert_thresholds_must_be_finite_and_sane(gateway: Gateway, code: str,
                                                        threshold: str) -> None:
    body = await gateway.query(RULE.replace("$threshold: Float!, ", "").replace(
        "threshold: $threshold", f"threshold: {threshold}"), {"code": code})
    error = body["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == (
        "BAD_USER_INPUT", "threshold")
    assert await count_rows(gateway, "alert_rule") == 0
    assert "errors" not in await gateway.query("{ alertRules { threshold } }")


async def test_targets_must_be_sane(gateway: Gateway) -> None:
    body = await gateway.query(
        "mutation($i: [TargetInput!]!) { setTargets(input: $i) { value } }",
        {"i": [{"indicatorCode": "DISASTER_LOSS_THB", "areaCode": "83", "fiscalYear": 2026,
                "value": 1.7e308}]})
    [bad] = body["errors"][0]["extensions"]["rows"]
    assert bad["index"] == 0 and "between" in bad["reason"]
    assert await count_rows(gateway, "target") == 0


@pytest.mark.parametrize(("mutation", "argument"), [
    ('setComplaintCategorySla(code: "water", slaDays: 100000) { slaDays }', "slaDays"),
    ('createApiKey(input: {name: "k", roles: ["partner"], expiresInDays: 2147483647}) '
     "{ apiKey { id } }", "expiresInDays"),
])
async def test_day_counts_are_bounded(gateway: Gateway, mutation: str, argument: str) -> None:
    body = await gateway.query(f"mutation {{ {mutation} }}")
    extensions = body["errors"][0]["extensions"]
    assert (extensions["code"], extensions["argument"]) == ("BAD_USER_INPUT", argument)


async def _loss(gateway: Gateway) -> dict[str, Any]:
    body = await gateway.query(LOSS, {"area": "83"})
    assert "errors" not in body, body
    return body["data"]["dashboard"]


async def test_a_dashboard_of_the_largest_figures_allowed_answers(gateway: Gateway) -> None:
    top = float(MAX_BAHT)
    subdistricts = ["830101", "830102", "830103", "830201", "830202", "830301"]
    result = await record(gateway, [row("DISASTER_LOSS_THB", a, "2026-03", top)
                                    for a in subdistricts])
    assert result["accepted"]
    body = await gateway.query(CREATE, {"budget": str(MAX_BAHT)})
    assert body["data"]["createProject"]["budgetAllocated"] == f"{MAX_BAHT}.00"
    dashboard = await _loss(gateway)
    assert dashboard["indicators"][0]["value"] == top * len(subdistricts)
    assert dashboard["projects"]["budgetAllocated"] == f"{MAX_BAHT}.00"
    country = await gateway.query(LOSS, {"area": "TH"})
    assert country["data"]["dashboard"]["indicators"][0]["value"] == top * len(subdistricts)


async def test_sums_beyond_a_float_stored_before_the_checks_read_as_no_value(
        gateway: Gateway) -> None:
    """Two figures of 1.7e308 (stored before the ranges were checked) add up past a double:
    PostgreSQL sums them as NUMERIC, SQLite gives infinity; either way the answer is null."""
    now = utcnow()
    async with gateway.services.database.unit_of_work() as session:
        await session.execute(insert(Observation), [
            {"indicator_code": "DISASTER_LOSS_THB", "area_code": code, "period": "2026-03",
             "period_start": date(2026, 3, 1), "value": 1.7e308, "revision": 1,
             "is_current": True, "recorded_at": now, "recorded_by": "legacy"}
            for code in ("830101", "830201")])
    dashboard = await _loss(gateway)
    assert dashboard["indicators"][0]["value"] is None
    body = await gateway.query('{ area(code: "TH") { indicator(code: "DISASTER_LOSS_THB", '
                               'period: "2026-03") { value } } }')
    assert body == {"data": {"area": {"indicator": {"value": None}}}, "_status": 200}

