"""Every indicator of the catalogue, whichever system its figures come from, can be put on the
dashboard once its sources are synced; and the command line syncs on demand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from areagraph.api.cli.main import cli
from areagraph.connectors.local.catalogue import indicators
from areagraph.core.settings import Settings
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.domain.figures.sync.sync_helpers import FY2026_Q1, sync

DASHBOARD = """query($codes: [String!]) {
  dashboard(areaCode: "34", fiscalYear: 2026, indicatorCodes: $codes) {
    indicators { indicator { code source } value period } } }"""


async def test_every_catalogue_indicator_goes_on_the_dashboard(gateway: Gateway,
                                                               sims: Simulators) -> None:
    for source in gateway.services.sources:
        if source.name != "local":
            assert (await sync(gateway, source.name, FY2026_Q1)).ok, source.name
    codes = [i.code for i in indicators()]
    shown: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), 12):  # a dashboard shows up to 12 key indicators
        body = await gateway.query(DASHBOARD, {"codes": codes[start:start + 12]})
        assert "errors" not in body, body
        for found in body["data"]["dashboard"]["indicators"]:
            shown[found["indicator"]["code"]] = found
    assert set(shown) == set(codes)
    synced = {code for code, found in shown.items()
              if found["indicator"]["source"] not in ("local",) and found["value"] is not None}
    assert synced >= {"POPULATION_REGISTERED", "HOUSEHOLDS_REGISTERED", "BMN_HH_SURVEYED",
                      "THAIQM_HEALTH_HH", "THAIQM_LIVING_HH", "THAIQM_EDUCATION_HH",
                      "THAIQM_INCOME_HH", "THAIQM_ACCESS_HH", "LAND_DISPUTES",
                      "WATER_COVERAGE_PCT", "WATER_LOSS_PCT", "WASTEWATER_TREATED_M3",
                      "WASTEWATER_GENERATED_M3", "COMPLAINTS_RECEIVED"}


def test_the_command_line_syncs_one_source_for_one_province(settings: Settings,
                                                            sims: Simulators) -> None:
    env = {"AREAGRAPH_DATABASE_URL": settings.database_url,
           "AREAGRAPH_SOURCES_FILE": str(settings.sources_file)}
    result = CliRunner().invoke(cli, ["sources", "sync", "wma", "--province", "34",
                                      "--fiscal-years", "1"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wma") and " ok: 1 provinces" in result.output
    assert "refused row" in result.output and "unknown code" in result.output
    engine = create_engine(settings.sync_database_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text(
                "SELECT count(*) FROM observation WHERE source = 'wma'")).scalar_one()
    finally:
        engine.dispose()
    assert stored > 0
    unknown = CliRunner().invoke(cli, ["sources", "sync", "nowhere"], env=env)
    assert unknown.exit_code != 0 and "nowhere" in unknown.output
