"""A monthly indicator asked for a quarter, a year or a fiscal year: its months by its rule over
time (a flow sums, a stock reads the last), with how many months had a figure."""

from __future__ import annotations

from typing import Any

from tests.conftest import Gateway
from tests.domain.helpers import record, row

FLOOD = "FLOOD_AFFECTED_HH"  # a flow: the households of each month add up
WATER = "SAFE_WATER_PCT"  # a level: the latest month's stands for the period
QUERY = """query($area: String!, $code: String!, $period: String!) { area(code: $area) {
  indicator(code: $code, period: $period) {
    value computed coverage { reported expected }
    periodCoverage { present expected missing }
    trend(last: 2) { period value } } } }"""


async def indicator(gateway: Gateway, area: str, code: str, period: str) -> dict[str, Any]:
    body = await gateway.query(QUERY, {"area": area, "code": code, "period": period})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["area"]["indicator"]
    return found


async def test_months_make_quarters_years_and_fiscal_years(gateway: Gateway) -> None:
    await record(gateway, [row(FLOOD, "830101", "2026-01", 10),
                           row(FLOOD, "830101", "2026-02", 5),
                           row(FLOOD, "830102", "2026-02", 7),
                           row(FLOOD, "830101", "2025-11", 3),
                           row(WATER, "830101", "2026-01", 80),
                           row(WATER, "830101", "2026-02", 85.5)])
    quarter = await indicator(gateway, "830101", FLOOD, "2026-Q1")
    assert quarter["value"] == 15
    assert quarter["periodCoverage"] == {"present": 2, "expected": 3, "missing": ["2026-03"]}
    assert quarter["trend"] == [{"period": "2025-Q4", "value": 3},
                                {"period": "2026-Q1", "value": 15}]
    year = await indicator(gateway, "830101", FLOOD, "2026")
    assert (year["value"], year["periodCoverage"]["present"],
            year["periodCoverage"]["expected"]) == (15, 2, 12)
    fiscal = await indicator(gateway, "830101", FLOOD, "FY2026")
    assert (fiscal["value"], fiscal["periodCoverage"]["present"]) == (18, 3)
    fiscal_quarter = await indicator(gateway, "830101", FLOOD, "FY2026-Q2")
    assert fiscal_quarter["value"] == 15  # January to March
    district = await indicator(gateway, "8301", FLOOD, "2026-Q1")
    assert district["value"] == 22 and district["computed"]
    assert district["coverage"] == {"reported": 2, "expected": 8}  # of the last month's

    level = await indicator(gateway, "830101", WATER, "2026-Q1")
    assert level["value"] == 85.5
    assert level["periodCoverage"]["missing"] == ["2026-03"]
    own = await indicator(gateway, "830101", FLOOD, "2026-01")
    assert own["periodCoverage"] is None  # one of the indicator's own periods


async def test_children_ranked_over_a_quarter(gateway: Gateway) -> None:
    await record(gateway, [row(FLOOD, "830101", "2026-01", 10),
                           row(FLOOD, "830102", "2026-02", 30),
                           row(FLOOD, "830102", "2026-03", 1)])
    body = await gateway.query("""{ area(code: "8301") {
        rankedChildren(indicatorCode: "FLOOD_AFFECTED_HH", period: "2026-Q1") {
          rank area { code } value { value periodCoverage { present } } } } }""")
    assert "errors" not in body, body
    top = body["data"]["area"]["rankedChildren"][:2]
    assert [(r["area"]["code"], r["value"]["value"], r["value"]["periodCoverage"]["present"])
            for r in top] == [("830102", 31, 2), ("830101", 10, 1)]


async def test_a_period_shorter_than_the_indicators_is_refused(gateway: Gateway) -> None:
    body = await gateway.query(QUERY, {"area": "34", "code": "THAIQM_INCOME_HH",
                                       "period": "2026-03"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == ("THAIQM_INCOME_HH takes fiscal year periods or longer ones "
                                "made of them, not month (2026-03)")
    # a calendar year straddles two fiscal years
    straddling = await gateway.query(QUERY, {"area": "34", "code": "THAIQM_INCOME_HH",
                                             "period": "2026"})
    assert straddling["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # a calendar quarter is a fiscal one (January to March: the second)
    quarter = await indicator(gateway, "34", "SERVICE_SATISFACTION_PCT", "2026-Q1")
    assert quarter["periodCoverage"] == {"present": 0, "expected": 1, "missing": ["FY2026-Q2"]}
