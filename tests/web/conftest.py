"""The dashboard in a real browser: a gateway process over sample data (two provinces, so it is
seeded in seconds) with the source simulators, and `run` for the scenarios in web/e2e/."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine

from areagraph.connectors.local.sample import seed_sample
from areagraph.connectors.simulators.server import RunningSimulator, start_simulators
from areagraph.connectors.simulators.sources_file import write_sources_file
from areagraph.core.settings import Settings
from tests.api.realtime.conftest import GatewayProcess, one_gateway
from tests.conftest import dev_token
from tests.databases import TemplateDatabases

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
MANIFEST = WEB / "dist" / "persisted-queries.json"
SCENARIOS = WEB / "e2e" / "dashboard.mjs"
SAMPLE_PROVINCES = ("34", "10")  # Ubon Ratchathani and Bangkok
# A short cache_ttl: a source made to fail is asked again (and found failing) within a test.
SOURCE_OPTIONS = {"timeout": 2.0, "retries": 0, "cache_ttl": 1.0, "circuit_threshold": 2,
                  "circuit_reset": 30.0, "stale_ttl": 60}


def built() -> None:
    missing = [p for p in (WEB / "dist" / "index.html", MANIFEST, WEB / "node_modules")
               if not p.exists()]
    assert not missing, ("build the dashboard first (make, or `npm ci && npm run build` in "
                         f"web/): {missing}")


@dataclass
class Browser:
    """A running gateway and the means to drive the page against it."""

    gateway: GatewayProcess
    settings: Settings
    simulators: dict[str, RunningSimulator]

    def token(self, roles: Sequence[str] | str, areas: Sequence[str] = (),
              subject: str = "tester") -> str:
        return dev_token(self.settings, [roles] if isinstance(roles, str) else roles, areas,
                         subject=subject)

    def graphql(self, query: str, token: str,
                variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(f"{self.gateway.http_url}/graphql", timeout=30,
                              json={"query": query, "variables": variables or {}},
                              headers={"Authorization": f"Bearer {token}"})
        body: dict[str, Any] = response.json()
        return body

    def fault(self, source: str, **faults: Any) -> None:
        httpx.put(f"{self.simulators[source].url}/_sim/faults", json=faults).raise_for_status()

    def run(self, scenario: str, script: Path = SCENARIOS, **arguments: Any) -> dict[str, Any]:
        """One scenario of `script` in headless Chromium; its findings, or why it failed."""
        process = subprocess.run(
            ["node", str(script), scenario, self.gateway.http_url, json.dumps(arguments)],
            cwd=WEB, capture_output=True, text=True, timeout=240)
        lines = process.stdout.strip().splitlines()
        outcome: dict[str, Any] = json.loads(lines[-1]) if lines else {
            "ok": False, "reason": process.stderr[-2000:]}
        assert outcome["ok"], outcome.get("reason")
        assert outcome["refused"] == [], "the page asked for another host"
        return outcome


@pytest.fixture(scope="module")
def sample_database(templates: TemplateDatabases) -> Iterator[str]:
    with templates.fresh("sqlite") as url:
        engine = create_engine(Settings(database_url=url).sync_database_url)
        seed_sample(engine, provinces_only=SAMPLE_PROVINCES)
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def simulators() -> Iterator[dict[str, RunningSimulator]]:
    running = start_simulators()
    yield running
    for simulator in running.values():
        simulator.stop()


def gateway_browser(templates: TemplateDatabases, dev_key_path: Path, tmp: Path, database_url: str,
             simulators: dict[str, RunningSimulator], **env: str) -> Iterator[Browser]:
    built()
    sources = write_sources_file(tmp / "sources.toml",
                                 {name: s.url for name, s in simulators.items()},
                                 {name: SOURCE_OPTIONS for name in simulators})
    with one_gateway(templates, dev_key_path, tmp / "gateway.log", {
            "AREAGRAPH_DATABASE_URL": database_url, "AREAGRAPH_SOURCES_FILE": str(sources),
            "AREAGRAPH_OUTBOX_RELAY_INTERVAL": "0.2", "AREAGRAPH_WS_KEEP_ALIVE_SECONDS": "5",
            "AREAGRAPH_RATE_LIMIT_BURST": "100000", **env}) as (gateway, settings):
        yield Browser(gateway, settings, simulators)


@pytest.fixture(scope="module")
def browser(templates: TemplateDatabases, dev_key_path: Path, sample_database: str,
            simulators: dict[str, RunningSimulator],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    yield from gateway_browser(templates, dev_key_path, tmp_path_factory.mktemp("dashboard"),
                        sample_database, simulators)


@pytest.fixture(scope="module")
def allowlisted_browser(templates: TemplateDatabases, dev_key_path: Path, sample_database: str,
                        simulators: dict[str, RunningSimulator],
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A gateway that runs only the operations of the dashboard's manifest."""
    yield from gateway_browser(templates, dev_key_path, tmp_path_factory.mktemp("allowlisted"),
                        sample_database, simulators, AREAGRAPH_ALLOWLIST_FILE=str(MANIFEST))


@pytest.fixture(autouse=True)
def healthy_sources(simulators: dict[str, RunningSimulator]) -> Iterator[None]:
    yield
    for simulator in simulators.values():
        httpx.post(f"{simulator.url}/_sim/reset").raise_for_status()
