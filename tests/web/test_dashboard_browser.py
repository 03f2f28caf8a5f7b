"""The dashboard in headless Chromium (npm playwright-core, Debian chromium) against a gateway
process with sample data and the source simulators; every request to another host is refused
and would fail the scenario. Screenshots land in web/e2e/screenshots/ (git-ignored)."""

from __future__ import annotations

from tests.web.conftest import Browser

FIGURES = "query($area: String!) { dashboard(areaCode: $area, fiscalYear: 2026) " \
          "{ indicators { value indicator { code } } } }"


def test_the_overview_shows_thai_text_and_the_apis_figures(browser: Browser) -> None:
    executive = browser.token("executive")
    answer = browser.graphql(FIGURES, executive, {"area": "TH"})["data"]["dashboard"]
    expected = {i["indicator"]["code"]: i["value"] for i in answer["indicators"]
                if i["value"] is not None}
    assert expected, "the sample has figures for FY2026"

    outcome = browser.run("overview", path="/dashboard/?fy=2569", expected=expected)

    assert set(outcome["shown"]) == set(expected) | set(outcome["shown"])
    assert outcome["refused"] == []
    operations = {g["operation"] for g in outcome["graphql"]}
    assert {"DashboardWhoAmI", "DashboardOverview"} <= operations
    assert all(g["hash"] for g in outcome["graphql"]), "every operation names its registered hash"


def test_drilling_down_to_a_subdistrict_by_click_and_by_url(browser: Browser) -> None:
    executive = browser.token("executive")
    name = browser.graphql('{ area(code: "340101") { nameTh } }', executive)
    outcome = browser.run("drilldown", path=["34", "3401", "340101"])
    assert outcome["levels"] == ["PROVINCE", "DISTRICT", "SUBDISTRICT"]
    assert outcome["url"] == "/dashboard/areas/340101"
    assert outcome["name"] == name["data"]["area"]["nameTh"]


def test_areas_rank_on_an_indicator_and_every_topic_opens(browser: Browser) -> None:
    outcome = browser.run("ranked", indicator="SAFE_WATER_PCT")
    assert outcome["order"][0] == "ความยากจน (5 มิติ TPMAP)"
    assert not [g for g in outcome["graphql"] if "FORBIDDEN" in g["codes"]]


def test_a_figure_a_governor_records_shows_on_an_open_page_within_two_seconds(
        browser: Browser) -> None:
    governor = browser.token("governor", ["34"], subject="governor-34")
    outcome = browser.run("live", writer=governor, figure={
        "indicator": "SAFE_WATER_PCT", "area": "340101", "period": "2026-03", "value": 87.25})
    assert outcome["shownAfterMs"] <= 2000
    assert "2569" in outcome["lastHeard"]  # Buddhist Era


def test_a_governor_cannot_open_another_provinces_subdistrict(browser: Browser) -> None:
    governor = browser.token("governor", ["34"])
    refused = browser.graphql(FIGURES, governor, {"area": "100101"})
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]

    outcome = browser.run("governor", own="34", other="100101")
    assert "อุบลราชธานี" in outcome["landed"]
    assert "คุณไม่มีสิทธิ์ดูข้อมูลของพื้นที่นี้" in outcome["refusal"]
    assert outcome["apiCodes"] == ["FORBIDDEN"]


def test_the_page_runs_on_a_gateway_that_allows_only_its_manifest(
        allowlisted_browser: Browser) -> None:
    executive = allowlisted_browser.token("executive")
    other = allowlisted_browser.graphql("{ me { subject roles } }", executive)
    assert other["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"

    outcome = allowlisted_browser.run("allowlisted", area="34")
    codes = {code for g in outcome["graphql"] for code in g["codes"]}
    assert "OPERATION_NOT_ALLOWED" not in codes
    assert len({g["operation"] for g in outcome["graphql"]}) >= 6


def test_a_failing_source_shows_as_down_not_as_a_blank(browser: Browser) -> None:
    browser.fault("ddpm", mode="error")
    outcome = browser.run("stale", source="ddpm")
    assert outcome["status"] in ("DOWN", "DEGRADED")
    assert "ddpm" in outcome["bar"]
    assert "แหล่งข้อมูลไม่ตอบ" in outcome["notice"] or "ข้อมูลเก่า" in outcome["notice"]
