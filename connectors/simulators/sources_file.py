"""A sources file pointing at running simulators, with the credentials each simulator accepts.

Tests and benchmarks start the simulators on free ports and need a `sources.toml` for them; the
credentials come from the simulators themselves, so there is one place that knows them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from areagraph.connectors.simulators import damrongdhama, dopa, pwa, wma

# The `auth` table of each simulator that wants credentials.
AUTH = {
    "dopa": f'{{ type = "api_key", header = "X-DOPA-Key", key = "{dopa.API_KEY}" }}',
    "damrongdhama": ('{ type = "api_key", header = "Authorization", '
                     f'key = "{damrongdhama.TOKEN}" }}'),
    "pwa": ('{ type = "oauth2_client_credentials", '
            f'client_id = "{pwa.CLIENT_ID}", client_secret = "{pwa.CLIENT_SECRET}" }}'),
    "wma": f'{{ type = "api_key", header = "X-WMA-Key", key = "{wma.API_KEY}" }}',
}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else json.dumps(value)


def write_sources_file(path: Path, urls: Mapping[str, str],
                       options: Mapping[str, Mapping[str, object]]) -> Path:
    """The local store (never cached) and each simulator at its URL, with its `options`."""
    lines = ["[sources.local]", 'kind = "local"', "cache_ttl = 0", ""]
    for name, url in urls.items():
        lines += [f"[sources.{name}]", f'kind = "{name}"', f'base_url = "{url}"']
        lines += [f"{key} = {_toml(value)}" for key, value in options.get(name, {}).items()]
        lines += [f"auth = {AUTH[name]}"] if name in AUTH else []
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
