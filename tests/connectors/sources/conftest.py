"""Fixtures: a gateway configured to use the source simulators (`sims`, from tests/conftest.py).

Every test gets a gateway of its own (fresh circuit breakers and cache). Like every database
test, each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from areagraph.core.settings import Settings
from tests.simulators import SOURCE_OPTIONS, Simulators, write_sources_file

# Each fault a simulator can be told to have, and the error code the gateway answers it with.
FAULTS = [
    ({"mode": "error"}, "SOURCE_UNAVAILABLE"),
    ({"error_rate": 1.0}, "SOURCE_UNAVAILABLE"),
    ({"mode": "timeout"}, "SOURCE_UNAVAILABLE"),
    ({"latency_ms": 1000}, "SOURCE_UNAVAILABLE"),
    ({"mode": "malformed"}, "SOURCE_BAD_RESPONSE"),
    ({"mode": "wrong_types"}, "SOURCE_BAD_RESPONSE"),
]

__all__ = ["FAULTS", "SOURCE_OPTIONS", "Simulators", "write_sources_file"]


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
