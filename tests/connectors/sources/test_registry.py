"""The registry, the local store as a connector, health, the command line and the documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from areagraph.api.cli.main import cli
from areagraph.connectors.config import load_sources
from areagraph.connectors.simulators.openapi import OPENAPI_DIR, openapi_yaml
from areagraph.connectors.simulators.server import SIMULATORS
from areagraph.connectors.simulators.sources_file import (
    write_sources_file as write_simulated_sources,
)
from areagraph.core.settings import Settings
from tests.conftest import Gateway, serve
from tests.connectors.sources.conftest import SOURCE_OPTIONS, Simulators, write_sources_file
from tests.domain.helpers import record, row


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


WATER = """{ area(code: "3401") { indicatorValues(codes: %s, period: "2026-01")
    { indicatorCode source } } }"""


async def test_a_source_limited_by_configuration_provides_less(
        settings: Settings, sims: Simulators, tmp_path: Path) -> None:
    options = {name: {**SOURCE_OPTIONS, **({"provides": ["WATER_LOSS_PCT", "FLOOD"]}
                                           if name == "pwa" else {})} for name in sims.running}
    sources = write_simulated_sources(tmp_path / "sources.toml",
                                      {name: sims.url(name) for name in sims.running}, options)
    async for gateway in serve(settings.model_copy(update={"sources_file": sources})):
        gateway.login("ministry_admin")
        listed = await gateway.query("{ sources { name indicatorCodes eventKinds } }")
        both = await gateway.query(WATER % '["WATER_COVERAGE_PCT", "WATER_LOSS_PCT"]')
        calls_after_both = len(sims.calls("pwa"))
        coverage_only = await gateway.query(WATER % '["WATER_COVERAGE_PCT"]')
    pwa = next(s for s in listed["data"]["sources"] if s["name"] == "pwa")
    # what it was not built to give (a DDPM event kind) is not added by configuration
    assert (pwa["indicatorCodes"], pwa["eventKinds"]) == (["WATER_LOSS_PCT"], [])
    assert both["data"]["area"]["indicatorValues"] == [
        {"indicatorCode": "WATER_LOSS_PCT", "source": "pwa"}]
    assert calls_after_both == 1
    not_configured = {"message": "no source system is configured for WATER_COVERAGE_PCT",
                      "extensions": {"code": "SOURCE_UNAVAILABLE", "source": "pwa",
                                     "reason": "not_configured"}}
    assert [{k: e[k] for k in not_configured} for e in both["errors"]] == [not_configured]
    assert coverage_only["data"]["area"]["indicatorValues"] == []
    assert [{k: e[k] for k in not_configured} for e in coverage_only["errors"]] == [
        not_configured]
    assert len(sims.calls("pwa")) == 1  # nothing it provides was asked: no call


async def test_an_unlimited_source_provides_its_whole_catalogue(gateway: Gateway,
                                                                sims: Simulators) -> None:
    both = await gateway.query(WATER % '["WATER_COVERAGE_PCT", "WATER_LOSS_PCT"]')
    assert sorted(v["indicatorCode"] for v in both["data"]["area"]["indicatorValues"]) == [
        "WATER_COVERAGE_PCT", "WATER_LOSS_PCT"]
    assert len(sims.calls("pwa")) == 1


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
