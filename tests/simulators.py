"""The source simulators as the tests see them: their control endpoints, and a sources file
that points the gateway at them (the `simulators` and `sims` fixtures are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from areagraph.connectors.simulators.server import RunningSimulator
from areagraph.connectors.simulators.sources_file import (
    write_sources_file as write_simulated_sources,
)

SOURCE_OPTIONS = {
    "timeout": 3.0, "retries": 1, "cache_ttl": 60, "circuit_threshold": 3,
    "circuit_reset": 0.3, "stale_ttl": 60,
}


class Simulators:
    """The running simulators, seen through their own control endpoints."""

    def __init__(self, running: dict[str, RunningSimulator]) -> None:
        self.running = running

    def url(self, name: str) -> str:
        return self.running[name].url

    def faults(self, name: str, **faults: Any) -> None:
        httpx.put(f"{self.url(name)}/_sim/faults", json=faults).raise_for_status()

    def figures(self, name: str, changed: dict[str, float]) -> None:
        """Change figures the source holds (keys as the simulator names them)."""
        httpx.put(f"{self.url(name)}/_sim/figures", json=changed).raise_for_status()

    def calls(self, name: str, data_only: bool = True) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = httpx.get(f"{self.url(name)}/_sim/calls").json()
        skip = ("/oauth/token", "/health")
        return [c for c in calls if not (data_only and c["path"] in skip)]

    def reset(self) -> None:
        for name in self.running:
            httpx.post(f"{self.url(name)}/_sim/reset").raise_for_status()


def write_sources_file(path: Path, sims: Simulators, **overrides: Any) -> Path:
    """A sources.toml with the local store and every simulator, with test-sized patience."""
    options = {**SOURCE_OPTIONS, **overrides}
    return write_simulated_sources(path, {name: sims.url(name) for name in sims.running},
                                   {name: options for name in sims.running})
