"""The peer of `benchmarks.compare`: The Guild's Hive Gateway over the same simulators.

Installed from npm into `benchmarks/.peer/` (git-ignored), composed by Mesh Compose with
`@omnigraph/openapi` from the simulators' documents in `openapi/sources/`, served by
`hive-gateway supergraph` as one Node process (its default: no forked workers) on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PEER_DIR = REPO / "benchmarks" / ".peer"
PACKAGES = {
    "@graphql-hive/gateway": "2.15.1",
    "@graphql-mesh/compose-cli": "1.8.2",
    "@omnigraph/openapi": "0.112.4",
    "graphql": "16.15.0",
}
# The peer serves POST operations as queries (Omnigraph makes them mutations by default).
_AS_QUERY = {"dopa": "query_stat_v1_population_query_post",
             "pwa": "stats_pwa_v1_service_stats_post"}
_HEADERS = {"dopa": {"X-DOPA-Key": "demo-dopa-key"}}

DASHBOARD = """query Dashboard($dopa: Dopa_PopulationQuery_Input!, $changwat: [String]!,
    $pee: [Int]!, $pwa: Pwa_StatsQuery_Input!) {
  population: query_stat_v1_population_query_post(input: $dopa) {
    ... on Dopa_PopulationPage { items { areaCode yyyymm population households } } }
  survey: survey_rows_jpt_api_v2_survey_get(changwat: $changwat, pee: $pee) {
    ... on Cdd_SurveyAnswer { records { tambon_id dimension need_hh } } }
  water: stats_pwa_v1_service_stats_post(input: $pwa) {
    ... on Pwa_StatsAnswer { data { area month coverage_pct water_loss_pct } } } }"""
DASHBOARD_TWO_SOURCES = """query Dashboard($dopa: Dopa_PopulationQuery_Input!,
    $pwa: Pwa_StatsQuery_Input!) {
  population: query_stat_v1_population_query_post(input: $dopa) {
    ... on Dopa_PopulationPage { items { areaCode yyyymm population households } } }
  water: stats_pwa_v1_service_stats_post(input: $pwa) {
    ... on Pwa_StatsAnswer { data { area month coverage_pct water_loss_pct } } } }"""


def install() -> None:
    """npm install the pinned packages into benchmarks/.peer/ unless they are there already."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("the peer needs Node and npm on PATH")
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "areagraph-benchmark-peer", "private": True, "version": "0.0.0",
                "dependencies": PACKAGES}
    package = PEER_DIR / "package.json"
    current = json.loads(package.read_text()) if package.exists() else None
    installed = (PEER_DIR / "node_modules" / ".bin" / "hive-gateway").exists()
    if current == manifest and installed:
        return
    package.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=PEER_DIR, check=True)


def _subgraph(name: str, port: int, headers: dict[str, str]) -> str:
    options: dict[str, object] = {
        "source": str(REPO / "openapi" / "sources" / f"{name}.yaml"),
        "endpoint": f"http://127.0.0.1:{port}",
    }
    if headers:
        options["operationHeaders"] = headers
    if name in _AS_QUERY:
        options["selectQueryOrMutationField"] = [{"type": "Query",
                                                  "fieldName": _AS_QUERY[name]}]
    prefix = name.capitalize() + "_"
    return (f"    {{ sourceHandler: loadOpenAPISubgraph({json.dumps(name)}, "
            f"{json.dumps(options)}),\n"
            f"      transforms: [createPrefixTransform({{ value: {json.dumps(prefix)} }})] }},")


def compose(ports: dict[str, int], pwa_token: str) -> Path:
    """Write mesh.config.ts for dopa, cdd and pwa and compose the supergraph."""
    headers = {**_HEADERS, "pwa": {"Authorization": f"Bearer {pwa_token}"}}
    subgraphs = "\n".join(_subgraph(name, ports[name], headers.get(name, {}))
                          for name in ("dopa", "cdd", "pwa"))
    (PEER_DIR / "mesh.config.ts").write_text(
        "import { createPrefixTransform, defineConfig } from '@graphql-mesh/compose-cli';\n"
        "import { loadOpenAPISubgraph } from '@omnigraph/openapi';\n\n"
        "export const composeConfig = defineConfig({\n  subgraphs: [\n"
        f"{subgraphs}\n  ],\n}});\n", encoding="utf-8")
    supergraph = PEER_DIR / "supergraph.graphql"
    subprocess.run(["node", "node_modules/.bin/mesh-compose", "-o", supergraph.name],
                   cwd=PEER_DIR, check=True, capture_output=True)
    return supergraph


_CACHED_CONFIG = """import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  responseCaching: { session: () => null, ttl: %d },
});
"""


def start(port: int, log: Path, *, response_cache_ttl: float = 0) -> subprocess.Popen[bytes]:
    """Serve the composed supergraph on 127.0.0.1:port (with Hive's response cache, shared by
    all callers, when `response_cache_ttl` is set); wait until it answers."""
    options = []
    if response_cache_ttl:
        config = PEER_DIR / "cached.config.ts"
        config.write_text(_CACHED_CONFIG % (response_cache_ttl * 1000), encoding="utf-8")
        options = ["-c", config.name]
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["node", "node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql",
             *options, "--host", "127.0.0.1", "--port", str(port), "--disable-websockets"],
            cwd=PEER_DIR, env={**os.environ, "NODE_ENV": "production", "FORK": "1"},
            stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/graphql", timeout=2,
                                json={"query": "{ __typename }"})
            if answer.status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"Hive Gateway did not start; see {log}")
