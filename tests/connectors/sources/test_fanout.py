"""One query about many areas: every source called once, all at the same time, merged."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators

REMOTE = ("dopa", "cdd", "ddpm", "damrongdhama", "lands", "pwa")
CODES = ["POPULATION_REGISTERED", "THAIQM_INCOME_HH", "DISASTER_DECLARED_HH",
         "COMPLAINTS_RECEIVED", "LAND_DISPUTES", "WATER_COVERAGE_PCT"]

LIST_QUERY = """query($codes: [String!]!, $n: Int!) {
  areas(level: SUBDISTRICT, first: $n) { edges { node { code
    indicatorValues(codes: $codes, period: "FY2026-Q2") { indicatorCode source period value }
  } } }
}"""


async def test_one_area_merges_every_source(gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""{ area(code: "3401") {
        indicatorValues(codes: ["POPULATION_REGISTERED", "THAIQM_HEALTH_HH",
                                "DISASTER_DECLARED_HH", "COMPLAINTS_RECEIVED", "LAND_DISPUTES",
                                "WATER_LOSS_PCT", "SAFE_WATER_PCT"], period: "FY2026")
          { areaCode indicatorCode period value source fetchedAt stale yearBE }
    } }""")
    assert "errors" not in body, body
    values = body["data"]["area"]["indicatorValues"]
    by_source = {v["source"] for v in values}
    assert {"dopa", "cdd", "damrongdhama", "lands", "pwa"} <= by_source
    assert all(v["areaCode"] == "3401" and not v["stale"] for v in values)
    assert {v["period"] for v in values if v["source"] == "cdd"} == {"FY2026"}
    assert {v["yearBE"] for v in values if v["source"] == "cdd"} == {2569}
    population = [v for v in values if v["indicatorCode"] == "POPULATION_REGISTERED"]
    assert [v["period"] for v in population] == [f"2025-{m}" for m in ("10", "11", "12")] + [
        f"2026-{m:02d}" for m in range(1, 10)]


@pytest.mark.parametrize("source_options", [{"cache_ttl": 0}])  # every query asks anew
async def test_calls_per_source_do_not_grow_with_the_list(gateway: Gateway,
                                                          sims: Simulators) -> None:
    calls_by_size: dict[int, dict[str, int]] = {}
    for size in (5, 100, 1000):
        sims.reset()
        body = await gateway.query(LIST_QUERY, {"codes": CODES, "n": size})
        assert "errors" not in body, body.get("errors")
        edges = body["data"]["areas"]["edges"]
        assert len(edges) == size
        assert all(e["node"]["indicatorValues"] for e in edges)
        calls_by_size[size] = {name: len(sims.calls(name)) for name in REMOTE}
    # The land department answers by district, so a list of subdistricts needs no call to it.
    expected = {**{name: 1 for name in REMOTE}, "lands": 0}
    assert calls_by_size == {5: expected, 100: expected, 1000: expected}


@pytest.mark.parametrize("source_options", [{"cache_ttl": 0}])
async def test_calls_of_one_query_overlap(gateway: Gateway, sims: Simulators) -> None:
    query = """{ area(code: "34") {
        indicatorValues(codes: ["POPULATION_REGISTERED", "THAIQM_INCOME_HH",
            "DISASTER_DECLARED_HH", "COMPLAINTS_RECEIVED", "LAND_DISPUTES",
            "WATER_COVERAGE_PCT"], period: "2026-03") { source } } }"""
    await gateway.query(query)  # the PWA token is fetched once, before the query that counts
    sims.reset()
    for name in REMOTE:
        sims.faults(name, latency_ms=150)
    body = await gateway.query(query)
    assert "errors" not in body, body.get("errors")
    calls = [call for name in REMOTE for call in sims.calls(name)]
    assert len(calls) == len(REMOTE)
    # Every call started before any of them ended: the simulators' own clocks show the overlap.
    assert max(c["started_at"] for c in calls) < min(c["ended_at"] for c in calls)


async def test_events_merge_disasters_and_complaints(gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""{ area(code: "34") {
        events(period: "FY2026") { kind reference title areaCodes startedOn endedOn status
            householdsAffected history { status at } source stale } } }""")
    assert "errors" not in body, body.get("errors")
    events = body["data"]["area"]["events"]
    kinds = {e["kind"] for e in events}
    assert "COMPLAINT" in kinds and kinds & {"FLOOD", "DROUGHT", "STORM"}
    disasters = [e for e in events if e["source"] == "ddpm"]
    assert all(e["householdsAffected"] > 0 and e["areaCodes"] for e in disasters)
    assert all(all(code.startswith("34") for code in e["areaCodes"]) for e in disasters)
    complaints = [e for e in events if e["kind"] == "COMPLAINT"]
    assert all(e["history"][0]["status"] == "received" for e in complaints)
    assert all(e["status"] == e["history"][-1]["status"] for e in complaints)
    assert [e["startedOn"] for e in events] == sorted(e["startedOn"] for e in events)
    assert len(sims.calls("ddpm")) == 1 and len(sims.calls("damrongdhama")) == 1

    only_floods = await gateway.query("""{ area(code: "34") {
        events(period: "FY2026", kinds: [FLOOD]) { kind } } }""")
    assert {e["kind"] for e in only_floods["data"]["area"]["events"]} <= {"FLOOD"}
    assert len(sims.calls("damrongdhama")) == 1


async def test_children_of_many_parents_cost_one_call_per_source(gateway: Gateway,
                                                                  sims: Simulators) -> None:
    body = await gateway.query("""{ areas(level: PROVINCE, first: 5) { edges { node {
        children { code indicatorValues(codes: ["WATER_LOSS_PCT", "POPULATION_REGISTERED"],
                                        period: "2026-01") { source value } } } } } }""")
    assert "errors" not in body, body.get("errors")
    districts = [c for e in body["data"]["areas"]["edges"] for c in e["node"]["children"]]
    assert len(districts) > 20
    assert len(sims.calls("pwa")) == 1 and len(sims.calls("dopa")) == 1


async def test_unknown_indicator_or_period_is_bad_input(gateway: Gateway) -> None:
    body = await gateway.query("""{ area(code: "34") {
        a: indicatorValues(codes: ["NO_SUCH"], period: "2026-01") { value } } }""")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await gateway.query("""{ area(code: "34") {
        indicatorValues(codes: ["WATER_LOSS_PCT"], period: "March") { value } } }""")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_list_asks_sources_only_about_areas_the_caller_may_read(
        gateway: Gateway, sims: Simulators) -> None:
    gateway.login("governor", areas=["34"])
    body = await gateway.query("""{ areas(level: DISTRICT, first: 1000) { edges { node { code
        indicatorValues(codes: ["POPULATION_REGISTERED"], period: "2026-01") { value }
        } } } }""")
    # Figures of districts of other provinces are refused, and refusing a non-null field
    # empties the list; the calls started for the list went out all the same.
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    calls = await _recorded(sims, "dopa")
    asked = {code[:4] for call in calls for code in json.loads(call["body"])["areaCodes"]}
    ubon = await gateway.query("""{ areas(parentCode: "34", first: 100) {
        edges { node { code } } } }""")
    assert asked == {e["node"]["code"] for e in ubon["data"]["areas"]["edges"]}


async def _recorded(sims: Simulators, name: str) -> list[dict[str, Any]]:
    for _ in range(100):
        if calls := sims.calls(name):
            return calls
        await asyncio.sleep(0.05)
    raise AssertionError(f"{name} was not called")


async def test_bad_arguments_under_a_list_are_refused_once_and_ask_no_source(
        gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""{ areas(level: SUBDISTRICT, first: 500) { edges { node {
        indicatorValues(codes: ["POPULATION_REGISTERED", "NO_SUCH"], period: "2026-01")
        { value } } } } }""")
    assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
        ("BAD_USER_INPUT", ["areas"])]
    assert "NO_SUCH" in body["errors"][0]["message"]
    assert all(not sims.calls(name) for name in REMOTE)


async def test_fields_left_out_by_directives_ask_no_source(gateway: Gateway,
                                                           sims: Simulators) -> None:
    body = await gateway.query("""query($with: Boolean!) { areas(level: PROVINCE, first: 5) {
        edges { node { code ... on Area @include(if: $with) {
            indicatorValues(codes: ["POPULATION_REGISTERED"], period: "2026-01") { value } }
          events(period: "2026-01") @skip(if: true) { reference } } } } }""", {"with": False})
    assert "errors" not in body, body.get("errors")
    assert all(not sims.calls(name) for name in REMOTE)


async def test_aliases_fragments_and_variables_are_fetched_with_the_list(
        gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""query($kinds: [EventKind!], $codes: [String!]!) {
        areas(level: PROVINCE, first: 10) { edges { node { ...figures
          floods: events(period: "FY2026", kinds: $kinds) { kind } } } } }
      fragment figures on Area {
        water: indicatorValues(codes: $codes, period: "2026-01") { source }
        people: indicatorValues(codes: "POPULATION_REGISTERED", period: "2026-01") { source } }""",
                               {"kinds": ["FLOOD"], "codes": ["WATER_LOSS_PCT"]})
    assert "errors" not in body, body.get("errors")
    nodes = [e["node"] for e in body["data"]["areas"]["edges"]]
    assert {v["source"] for n in nodes for v in n["water"]} == {"pwa"}
    assert all({v["source"] for v in n["people"]} == {"dopa"} for n in nodes)
    assert {e["kind"] for n in nodes for e in n["floods"]} <= {"FLOOD"}
    assert [len(sims.calls(n)) for n in ("pwa", "dopa", "ddpm", "damrongdhama")] == [1, 1, 1, 0]
