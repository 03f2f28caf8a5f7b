"""Each simulator's OpenAPI document, as kept in openapi/sources/NAME.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from areagraph.connectors.simulators.server import SIMULATORS, simulator

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "openapi" / "sources"


def openapi_yaml(name: str) -> str:
    document = simulator(name).openapi()
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def write_openapi(directory: Path = OPENAPI_DIR) -> list[Path]:
    """Write every simulator's document; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SIMULATORS:
        path = directory / f"{name}.yaml"
        path.write_text(openapi_yaml(name), encoding="utf-8")
        written.append(path)
    return written
