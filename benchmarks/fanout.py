"""Fan-out benchmark: one GraphQL query touching five source systems with set latencies.

Run by hand (not part of CI's pass/fail):

    .venv/bin/python benchmarks/fanout.py [--sizes 5 100 1000] [--repeat 5] [--loop uvloop]

The simulators run as separate processes (`areagraph sources serve`) on free local ports; the
gateway runs in this process (on uvloop, as `areagraph serve` runs it) on a fresh SQLite
database, with the source cache off so every query reaches the sources. For each list size it
prints the calls each source served, the query's latency beside the slowest source's own
latency and the sum of all latencies, the gateway's overhead over the slowest source (split into
the time before the first source call and after the last one ended, on the simulators' clocks),
and the same list queried without source fields. The target: calls constant in list size,
latency within 10 ms of the slowest source, on the simulators' own clocks (from a data call's
first byte read to its last sent). "over slowest round trip" compares with the slowest call
sent again at once by a plain HTTP client (the source's latency as its clients see it).
"sources at 0 ms" is the same query when every source answers at once: the gateway's own work
for that answer, most of which the fan-out hides behind the sources' latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import uvloop
from sqlalchemy import create_engine

from areagraph.api.app import create_app
from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.principal import Role
from areagraph.connectors.local.seed import seed_reference
from areagraph.connectors.simulators import damrongdhama, dopa, pwa
from areagraph.connectors.simulators.sources_file import write_sources_file
from areagraph.core.settings import Settings
from areagraph.migrations.run import upgrade_to_head

TARGET_MS = 10.0  # the query may take this much longer than its slowest source
LATENCY_MS = {"dopa": 40, "cdd": 120, "ddpm": 60, "damrongdhama": 30, "pwa": 90}
CODES = ["POPULATION_REGISTERED", "THAIQM_INCOME_HH", "DISASTER_DECLARED_HH",
         "COMPLAINTS_RECEIVED", "WATER_COVERAGE_PCT"]
QUERY = """query($codes: [String!]!, $n: Int!, $period: String!) {
  areas(level: SUBDISTRICT, first: $n) { edges { node { code
    indicatorValues(codes: $codes, period: $period) { source value } } } } }"""
BASELINE = """query($n: Int!) {
  areas(level: SUBDISTRICT, first: $n) { edges { node { code } } } }"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sources_file(directory: Path, ports: dict[str, int]) -> Path:
    return write_sources_file(
        directory / "sources.toml", {n: f"http://127.0.0.1:{p}" for n, p in ports.items()},
        {n: {"timeout": 10, "cache_ttl": 0, "retries": 0} for n in ports})


def _start_simulators(sources: Path) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "AREAGRAPH_SOURCES_FILE": str(sources)}
    command = [sys.executable, "-c", "from areagraph.api.cli.main import main; main()",
               "sources", "serve"]
    return [subprocess.Popen([*command, name], env=env, stdout=subprocess.DEVNULL)
            for name in LATENCY_MS]


def _wait_for(ports: dict[str, int]) -> None:
    deadline = time.monotonic() + 60
    for port in ports.values():
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/_sim/faults", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


async def _calls(control: httpx.AsyncClient, port: int) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = (await control.get(f"http://127.0.0.1:{port}/_sim/calls")).json()
    return [c for c in calls if c["path"] not in ("/oauth/token", "/health")]


_HEADERS = {"dopa": {"X-DOPA-Key": dopa.API_KEY},
            "damrongdhama": {"Authorization": damrongdhama.TOKEN}}


async def _round_trip(control: httpx.AsyncClient, port: int, name: str,
                      call: dict[str, Any]) -> float:
    """The call sent again by a plain HTTP client: the source's latency as its clients see it,
    its own HTTP handling and the wire included (ms)."""
    headers = dict(_HEADERS.get(name, {}))
    base = f"http://127.0.0.1:{port}"
    if name == "pwa":
        token = await control.post(f"{base}/oauth/token", data={
            "grant_type": "client_credentials", "client_id": pwa.CLIENT_ID,
            "client_secret": pwa.CLIENT_SECRET})
        headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    if call["body"]:
        headers["Content-Type"] = "application/json"
    url = f"{base}{call['path']}" + (f"?{call['query']}" if call["query"] else "")
    started = time.perf_counter()
    answer = await control.request(call["method"], url, content=call["body"].encode(),
                                   headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    answer.raise_for_status()
    return elapsed


async def _set_latencies(control: httpx.AsyncClient, ports: dict[str, int],
                         latencies: Mapping[str, float] = LATENCY_MS) -> None:
    """Clear each simulator's call log and set its latency."""
    for name, port in ports.items():
        address = f"http://127.0.0.1:{port}/_sim"
        (await control.post(f"{address}/reset")).raise_for_status()
        (await control.put(f"{address}/faults",
                           json={"latency_ms": latencies[name]})).raise_for_status()


async def _run(settings: Settings, ports: dict[str, int], sizes: list[int],
               repeat: int) -> None:
    token = issue_token(load_or_create_key(settings.dev_key_path),
                        audience=settings.oidc_audience, subject="benchmark",
                        roles=[Role.MINISTRY_ADMIN], areas=(), agency=None, topics=(), ttl=3600)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://areagraph",
                                     headers={"Authorization": f"Bearer {token}"},
                                     timeout=60) as client, httpx.AsyncClient() as control:
            async def baseline(size: int) -> float:
                """The same list without source fields: what the gateway costs by itself."""
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": BASELINE,
                                                                "variables": {"n": size}})
                response.raise_for_status()
                return (time.perf_counter() - started) * 1000

            async def ask(size: int, month: int) -> tuple[float, float, float]:
                """The query's latency, and its start and end on the simulators' clock."""
                started, wall_start = time.perf_counter(), time.time()
                response = await client.post("/graphql", json={"query": QUERY, "variables": {
                    "codes": CODES, "n": size, "period": f"2026-{month:02d}"}})
                elapsed = (time.perf_counter() - started) * 1000
                body = response.json()
                if body.get("errors"):
                    raise SystemExit(f"query failed: {body['errors']}")
                return elapsed, wall_start, time.time()

            await ask(5, 1)  # connections, the PWA token, caches of the map
            print(f"source latencies set (ms): {LATENCY_MS}")
            header = (f"{'areas':>6} | " + " ".join(f"{n:>6}" for n in ports)
                      + " | query ms | slowest ms | sum ms | over slowest ms"
                      " (before first call, after last call) | target"
                      " | over slowest round trip ms | sources at 0 ms | list alone ms")
            print(header)
            print("-" * len(header))
            instant = dict.fromkeys(LATENCY_MS, 0.0)
            for size in sizes:
                timings: list[tuple[float, ...]] = []
                counts: dict[str, int] = {}
                for attempt in range(repeat):
                    await _set_latencies(control, ports, LATENCY_MS)
                    await asyncio.sleep(0.1)  # let the app's background tasks have their turn
                    elapsed, wall_start, wall_end = await ask(size, 2 + attempt % 10)
                    by_source = {n: await _calls(control, p) for n, p in ports.items()}
                    counts = {n: len(found) for n, found in by_source.items()}
                    calls = [c for found in by_source.values() for c in found]
                    spans = [(c["ended_at"] - c["started_at"]) * 1000 for c in calls]
                    before = (min(c["started_at"] for c in calls) - wall_start) * 1000
                    after = (wall_end - max(c["ended_at"] for c in calls)) * 1000
                    name, [slowest_call] = max(by_source.items(), key=lambda found: max(
                        c["ended_at"] - c["started_at"] for c in found[1]))
                    trip = await _round_trip(control, ports[name], name, slowest_call)
                    timings.append((elapsed, max(spans), sum(spans), elapsed - max(spans),
                                    before, after, elapsed - trip))
                query_ms, slowest, total, over, before, after, over_trip = (
                    statistics.median(t[i] for t in timings) for i in range(7))
                await _set_latencies(control, ports, instant)
                unhindered = statistics.median([(await ask(size, 2 + n % 10))[0]
                                                for n in range(repeat)])
                alone = statistics.median([await baseline(size) for _ in range(repeat)])
                verdict = "met" if over <= TARGET_MS else "missed"
                print(f"{size:>6} | " + " ".join(f"{counts[n]:>6}" for n in ports)
                      + f" | {query_ms:8.1f} | {slowest:10.1f} | {total:6.1f} |"
                      f" {over:15.1f} ({before:.1f}, {after:.1f}) | {verdict:>6}"
                      f" | {over_trip:26.1f} | {unhindered:15.1f} | {alone:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 100, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop",
                        help="the gateway's event loop (uvicorn runs it on uvloop)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        directory = Path(workdir)
        ports = {name: _free_port() for name in LATENCY_MS}
        sources = _sources_file(directory, ports)
        settings = Settings(database_url=f"sqlite:///{directory / 'bench.db'}", redis_url=None,
                            sources_file=sources, dev_tokens=True,
                            dev_key_path=directory / "key.json", max_query_cost=10_000_000,
                            response_cache_ttl=0, log_level="warning")
        upgrade_to_head(settings)
        engine = create_engine(settings.sync_database_url)
        seed_reference(engine)
        engine.dispose()
        simulators = _start_simulators(sources)
        try:
            _wait_for(ports)
            main = _run(settings, ports, arguments.sizes, arguments.repeat)
            if arguments.loop == "uvloop":
                uvloop.run(main)
            else:
                asyncio.run(main)
        finally:
            for process in simulators:
                process.terminate()
            for process in simulators:
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
