"""Fixtures: the source simulators as real HTTP servers, and a gateway configured to use them.

The simulators run for the whole session (each in a thread, on a free port); every test starts
with their faults off and call logs empty, and gets a gateway of its own (fresh circuit
breakers and cache). Like every database test, each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from connectors.simulators.server import RunningSimulator, start_simulators
from connectors.simulators.sources_file import write_sources_file as write_simulated_sources

SOURCE_OPTIONS = {
    "timeout": 3.0, "retries": 1, "cache_ttl": 60, "circuit_threshold": 3,
    "circuit_reset": 0.3, "stale_ttl": 60,
}


@pytest.fixture(scope="session")
def simulators() -> Iterator[dict[str, RunningSimulator]]:
    running = start_simulators()
    yield running
    for simulator in running.values():
        simulator.stop()


class Simulators:
    """The running simulators, seen through their own control endpoints."""

    def __init__(self, running: dict[str, RunningSimulator]) -> None:
        self.running = running

    def url(self, name: str) -> str:
        return self.running[name].url

    def faults(self, name: str, **faults: Any) -> None:
        httpx.put(f"{self.url(name)}/_sim/faults", json=faults).raise_for_status()

    def calls(self, name: str, data_only: bool = True) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = httpx.get(f"{self.url(name)}/_sim/calls").json()
        skip = ("/oauth/token", "/health")
        return [c for c in calls if not (data_only and c["path"] in skip)]

    def reset(self) -> None:
        for name in self.running:
            httpx.post(f"{self.url(name)}/_sim/reset").raise_for_status()


@pytest.fixture
def sims(simulators: dict[str, RunningSimulator]) -> Iterator[Simulators]:
    handle = Simulators(simulators)
    handle.reset()
    yield handle
    handle.reset()


def write_sources_file(path: Path, sims: Simulators, **overrides: Any) -> Path:
    """A sources.toml with the local store and every simulator, with test-sized patience."""
    options = {**SOURCE_OPTIONS, **overrides}
    return write_simulated_sources(path, {name: sims.url(name) for name in sims.running},
                                   {name: options for name in sims.running})


@pytest.fixture
def source_options() -> dict[str, Any]:
    """Per-test overrides of the source settings (override the fixture to change them)."""
    return {}


@pytest.fixture
def settings(settings: Settings, sims: Simulators, tmp_path: Path,
             source_options: dict[str, Any]) -> Settings:
    """The suite's settings, pointed at the simulators."""
    sources = write_sources_file(tmp_path / "sources.toml", sims, **source_options)
    # A list of 1,000 areas with their source values is what the fan-out tests are about.
    return settings.model_copy(update={"sources_file": sources, "max_query_cost": 1_000_000})
