"""The registry, the local store as a connector, health, the command line and the documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from connectors.config import load_sources
from connectors.simulators.openapi import OPENAPI_DIR, openapi_yaml
from connectors.simulators.server import SIMULATORS
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators, write_sources_file
from tests.databases import BACKENDS
from tests.monitoring.helpers import record, row


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
async def test_local_figures_merge_with_remote_ones(gateway: Gateway, sims: Simulators) -> None:
    recorded = await record(gateway, [row("SAFE_WATER_PCT", "340101", "2026-03", 81.5),
                                      row("SAFE_WATER_PCT", "340104", "2026-03", 77.0)])
    assert recorded["written"] == 2, recorded
    body = await gateway.query("""{ areas(parentCode: "3401", first: 3) { edges { node { code
        indicatorValues(codes: ["SAFE_WATER_PCT", "WATER_COVERAGE_PCT"], period: "2026-Q1")
        { indicatorCode period value source } } } } }""")
    assert "errors" not in body, body.get("errors")
    edges = body["data"]["areas"]["edges"]
    nodes = {e["node"]["code"]: e["node"]["indicatorValues"] for e in edges}
    assert [v for v in nodes["340101"] if v["source"] == "local"] == [
        {"indicatorCode": "SAFE_WATER_PCT", "period": "2026-03", "value": 81.5,
         "source": "local"}]
    assert all(len([v for v in values if v["source"] == "pwa"]) == 3 for values in nodes.values())


async def test_sources_shows_each_system_and_its_health(gateway: Gateway,
                                                        sims: Simulators) -> None:
    await gateway.query("""{ area(code: "34") { indicatorValues(codes: ["WATER_LOSS_PCT"],
        period: "2026-01") { value } } }""")
    body = await gateway.query("""{ sources { name kind agency indicatorCodes eventKinds
        status circuit lastSuccessAt latencyMs errorRate calls } }""")
    found = {s["name"]: s for s in body["data"]["sources"]}
    assert set(found) == {"local", *SIMULATORS}
    assert found["pwa"]["status"] == "UP" and found["pwa"]["calls"] == 1
    assert found["pwa"]["latencyMs"] > 0 and found["pwa"]["lastSuccessAt"]
    assert found["ddpm"]["eventKinds"] == ["DROUGHT", "FLOOD", "STORM"]
    assert found["ddpm"]["status"] == "UNKNOWN" and found["ddpm"]["circuit"] == "CLOSED"
    assert "THAIQM_HEALTH_HH" in found["cdd"]["indicatorCodes"]
    assert found["lands"]["agency"] == "DOL"


async def test_sources_in_the_same_query_as_a_fan_out_report_its_calls(
        gateway: Gateway, sims: Simulators) -> None:
    body = await gateway.query("""{ sources { name status lastSuccessAt calls }
        area(code: "34") { indicatorValues(codes: ["WATER_LOSS_PCT"], period: "2026-01")
        { value } } }""")
    assert list(body["data"]) == ["sources", "area"]  # the answer keeps the document's order
    pwa = next(s for s in body["data"]["sources"] if s["name"] == "pwa")
    assert pwa["status"] == "UP" and pwa["calls"] == 1 and pwa["lastSuccessAt"], pwa


async def test_a_source_limited_by_configuration_provides_less(gateway: Gateway) -> None:
    source = gateway.services.sources.get("pwa")
    assert source.provides.indicators == {"WATER_COVERAGE_PCT", "WATER_LOSS_PCT"}
    configs = {c.name: c for c in load_sources(gateway.services.settings.sources_file)}
    assert configs["pwa"].auth.type == "oauth2_client_credentials"


def test_packaged_sources_file_lists_every_simulated_system() -> None:
    configs = {c.name: c.kind for c in load_sources()}
    assert configs == {"local": "local", **{name: name for name in SIMULATORS}}


def test_cli_lists_and_checks_sources(sims: Simulators, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sources = write_sources_file(tmp_path / "sources.toml", sims)
    monkeypatch.setenv("AREAGRAPH_SOURCES_FILE", str(sources))
    monkeypatch.setenv("AREAGRAPH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    listed = runner.invoke(cli, ["sources", "list"])
    assert listed.exit_code == 0 and "oauth2_client_credentials" in listed.output
    checked = runner.invoke(cli, ["sources", "check"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("ok (") == len(SIMULATORS) + 1
    sims.faults("lands", mode="error")
    failed = runner.invoke(cli, ["sources", "check"])
    assert failed.exit_code == 1 and "lands" in failed.output and "FAILED" in failed.output


@pytest.mark.parametrize("name", SIMULATORS)
def test_openapi_documents_match_the_simulators(name: str) -> None:
    assert (OPENAPI_DIR / f"{name}.yaml").read_text(encoding="utf-8") == openapi_yaml(name)
