"""Source rows land on today's map: old codes and names are mapped, the rest is reported."""

from __future__ import annotations

from typing import Any

import geothai

from areagraph.connectors.simulators import cdd, dopa, lands, pwa
from areagraph.connectors.simulators.geography import subdistricts_of_province
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators


def values_query(area: str, codes: list[str], period: str) -> str:
    quoted = ", ".join(f'"{c}"' for c in codes)
    return f"""{{ area(code: "{area}") {{ indicatorValues(codes: [{quoted}], period: "{period}")
        {{ indicatorCode period value source }} }} }}"""


def by_indicator(body: dict[str, Any]) -> dict[str, float]:
    return {v["indicatorCode"]: v["value"] for v in body["data"]["area"]["indicatorValues"]}


async def test_rows_under_abolished_codes_count_for_their_successor(gateway: Gateway,
                                                                   sims: Simulators) -> None:
    assert cdd.legacy_key()["343102"] == "340102"  # the CDD system still files it under 340102
    body = await gateway.query(values_query("343102", ["THAIQM_HEALTH_HH", "BMN_HH_SURVEYED"],
                                            "FY2026"))
    surveyed, in_need = cdd.survey("343102", 2569, "สุขภาพ")
    assert by_indicator(body) == {"THAIQM_HEALTH_HH": in_need, "BMN_HH_SURVEYED": surveyed}


async def test_province_totals_include_rows_filed_under_old_codes(gateway: Gateway,
                                                                  sims: Simulators) -> None:
    body = await gateway.query(values_query("34", ["BMN_HH_SURVEYED"], "FY2026"))
    expected = sum(cdd.survey(t, 2569, "สุขภาพ")[0] for t in subdistricts_of_province("34"))
    assert by_indicator(body) == {"BMN_HH_SURVEYED": expected}


async def test_unmappable_rows_are_reported_not_dropped(gateway: Gateway,
                                                        sims: Simulators) -> None:
    body = await gateway.query(values_query("34", ["THAIQM_INCOME_HH"], "FY2026"))
    assert "errors" not in body
    reported = {(u["source"], u["key"]) for u in body["extensions"]["unmappedRows"]}
    assert {("cdd", code) for code in cdd._leftovers("34")} <= reported
    assert all(u["reason"] for u in body["extensions"]["unmappedRows"])
    health = await gateway.query('{ sources { name unmappedRows { key reason } } }')
    cdd_health = next(s for s in health["data"]["sources"] if s["name"] == "cdd")
    assert {u["key"] for u in cdd_health["unmappedRows"]} >= set(cdd._leftovers("34"))


async def test_land_office_names_resolve_to_district_codes(gateway: Gateway,
                                                           sims: Simulators) -> None:
    assert lands.written_name("3401", "เมืองอุบลราชธานี") == "อ.เมือง"
    body = await gateway.query(values_query("3401", ["LAND_DISPUTES"], "FY2026"))
    assert by_indicator(body) == {"LAND_DISPUTES": lands.disputes("3401", 2569)}
    body = await gateway.query(values_query("34", ["LAND_DISPUTES"], "FY2026"))
    assert by_indicator(body) == {
        "LAND_DISPUTES": sum(lands.disputes(d.code, 2569) for d in geothai.districts("34"))}


async def test_land_office_names_that_no_longer_exist_are_reported(gateway: Gateway,
                                                                   sims: Simulators) -> None:
    body = await gateway.query(values_query("10", ["LAND_DISPUTES"], "FY2026"))
    assert by_indicator(body)["LAND_DISPUTES"] == sum(
        lands.disputes(d.code, 2569) for d in geothai.districts("10"))
    reported = {u["key"] for u in body["extensions"]["unmappedRows"]}
    assert "กรุงเทพมหานคร/บ้านทะวาย" in reported


async def test_eight_digit_codes_and_buddhist_era_months(gateway: Gateway,
                                                         sims: Simulators) -> None:
    body = await gateway.query(values_query(
        "340101", ["POPULATION_REGISTERED", "HOUSEHOLDS_REGISTERED", "WATER_COVERAGE_PCT"],
        "2026-03"))
    people, households = dopa.population("340101", "202603")
    coverage, _loss = pwa.service("340101", "2569-03")
    assert by_indicator(body) == {"POPULATION_REGISTERED": people,
                                  "HOUSEHOLDS_REGISTERED": households,
                                  "WATER_COVERAGE_PCT": coverage}
    assert {v["period"] for v in body["data"]["area"]["indicatorValues"]} == {"2026-03"}


async def test_areas_a_source_does_not_serve_get_nothing_and_no_error(gateway: Gateway,
                                                                      sims: Simulators) -> None:
    body = await gateway.query(values_query("1001", ["WATER_COVERAGE_PCT", "THAIQM_HEALTH_HH"],
                                            "2026-03"))
    assert "errors" not in body
    assert body["data"]["area"]["indicatorValues"] == []  # MWA serves Bangkok; CDD skips it


async def test_dopa_pages_are_all_read(gateway: Gateway, sims: Simulators) -> None:
    source = gateway.services.sources.get("dopa")
    source.connector.config.options["page_size"] = 5
    body = await gateway.query(values_query("34", ["POPULATION_REGISTERED"], "FY2026"))
    assert len(body["data"]["area"]["indicatorValues"]) == 12
    assert len(sims.calls("dopa")) == 3
