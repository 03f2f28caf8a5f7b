"""areagraph beside a plain FastAPI floor and Hive Gateway: one table of ratios from one run.

Run by hand (not part of CI's pass/fail):

    .venv/bin/python -m benchmarks.compare [--quick] [--seconds 8] [--connections 32]
        [--rounds 3] [--no-peer]

It creates a PostgreSQL database (migrated, reference data seeded), starts the source
simulators, areagraph as production runs it (`areagraph serve`: uvicorn with uvloop and
httptools, PostgreSQL, Redis, the caches on; every request signed in with a token), the floor
(`benchmarks/compare_floor.py`) and the peer (`benchmarks/compare_peer.py`, Hive Gateway from
npm over the same simulators), checks that each answers what the others answer, warms them up,
loads them with wrk (the same connections and duration for every target, rounds interleaved so
a busy machine slows all alike), prints medians and ratios, and stops everything it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks import compare_peer
from benchmarks.compare_load import Load, Target, require_wrk, run_wrk
from benchmarks.compare_setup import Stack, peak_rss_mib, running_stack
from benchmarks.fanout import CODES, LATENCY_MS, _calls, _set_latencies

TYPENAME = "{ __typename }"
DASHBOARD_CODES = ["POPULATION_REGISTERED", "HOUSEHOLDS_REGISTERED", "THAIQM_INCOME_HH",
                   "WATER_COVERAGE_PCT", "WATER_LOSS_PCT"]
TWO_SOURCE_CODES = ["POPULATION_REGISTERED", "HOUSEHOLDS_REGISTERED", "WATER_COVERAGE_PCT",
                    "WATER_LOSS_PCT"]
DASHBOARD = """query Dashboard($codes: [String!]!, $period: String!) {
  areas(level: PROVINCE, first: 77) { edges { node { code nameTh nameEn
    indicatorValues(codes: $codes, period: $period) { indicatorCode period value source } } } } }"""
SUBDISTRICTS = """query Subdistricts {
  areas(level: SUBDISTRICT, first: 7436) { edges { node { code level nameTh nameEn postalCodes
  } } } }"""
FANOUT = """query Fanout($codes: [String!]!, $n: Int!, $period: String!) {
  areas(level: SUBDISTRICT, first: $n) { edges { node { code
    indicatorValues(codes: $codes, period: $period) { source value } } } } }"""
PERIOD = "2026-03"  # DOPA and PWA monthly, CDD's FY2026
NO_CACHE = {"Cache-Control": "no-cache"}  # asks the gateway not to answer from its caches


@dataclass(frozen=True)
class Options:
    seconds: float
    warmup: float
    connections: int
    rounds: int
    fanout_repeat: int


def _gql(stack: Stack, query: str, variables: dict[str, Any] | None = None,
         extra: dict[str, str] | None = None) -> Target:
    body: dict[str, Any] = {"query": query}
    if variables:
        body["variables"] = variables
    return Target(stack.url("areagraph", "/graphql"), body,
                  {"Authorization": f"Bearer {stack.token}", **(extra or {})})


def _peer_dashboard(stack: Stack, provinces: list[str], *, with_cdd: bool,
                    peer: str = "peer") -> Target:
    variables: dict[str, Any] = {
        "dopa": {"areaCodes": [f"{p}000000" for p in provinces], "fromMonth": "202603",
                 "toMonth": "202603", "pageSize": 5000},
        "pwa": {"areas": provinces, "months": ["2569-03"]},
    }
    if with_cdd:
        variables.update(changwat=provinces, pee=[2569])
    query = compare_peer.DASHBOARD if with_cdd else compare_peer.DASHBOARD_TWO_SOURCES
    return Target(stack.url(peer, "/graphql"), {"query": query, "variables": variables}, {})


def _post(target: Target) -> tuple[int, Any]:
    answer = httpx.post(target.url, json=target.body, headers=target.headers, timeout=60)
    return answer.status_code, answer.json()


def _check(stack: Stack, targets: dict[str, Target], provinces: list[str]) -> dict[str, str]:
    """Every target answers without errors; areagraph answers exactly what the floor answers."""
    answers = {}
    for name, target in targets.items():
        status, body = _post(target)
        if status != 200 or body.get("errors"):
            raise SystemExit(f"{name} failed ({status}): {str(body)[:500]}")
        answers[name] = body
    notes = {}
    for work in ("typename", "subdistricts"):
        for variant in ("", "-cold"):
            name = f"areagraph-{work}{variant}"
            if name in answers and answers[name] != answers[f"floor-{work}"]:
                raise SystemExit(f"{name} differs from the floor's answer")
    edges = answers["areagraph-dashboard"]["data"]["areas"]["edges"]
    values = sum(len(e["node"]["indicatorValues"]) for e in edges)
    notes["dashboard"] = (f"{len(edges)} provinces, {values} values "
                          "(no CDD survey in Bangkok, PWA not in its 3 MWA provinces)")
    if "peer-dashboard" in answers:
        data = answers["peer-dashboard"]["data"]
        notes["peer"] = (f"{len(data['population']['items'])} DOPA items, "
                         f"{len(data['survey']['records'])} CDD subdistrict rows, "
                         f"{len(data['water']['data'])} PWA rows")
    if len(edges) != len(provinces):
        raise SystemExit("the dashboard did not list every province")
    return notes


def _drain(target: Target) -> None:
    """Wait until the target has answered what the load left queued (a slow target keeps
    working after wrk stops; the next target must not pay for it)."""
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(target.url, json=target.body, headers=target.headers, timeout=120)


def _interleaved(targets: dict[str, Target], options: Options, workdir: Path,
                 connections: int, after_round: Callable[[], None] | None = None
                 ) -> dict[str, list[Load]]:
    for target in targets.values():
        run_wrk(target, workdir, connections=connections, seconds=options.warmup)
        _drain(target)
    found: dict[str, list[Load]] = {name: [] for name in targets}
    for _ in range(options.rounds):
        for name, target in targets.items():
            load = run_wrk(target, workdir, connections=connections, seconds=options.seconds)
            _drain(target)
            if load.failed:
                raise SystemExit(f"{name}: {load.failed} of {load.requests} requests failed")
            found[name].append(load)
            print(f"  {name}: {load.rps:,.1f} req/s, p50 {load.p50:.1f} ms, p99 {load.p99:.1f} ms",
                  file=sys.stderr, flush=True)
        if after_round is not None:
            after_round()
    return found


def _median(loads: list[Load], field: str) -> float:
    return statistics.median(getattr(load, field) for load in loads)


async def _source_calls(stack: Stack, sizes: list[int]) -> dict[int, dict[str, int]]:
    """Calls each source served for one query over n subdistricts (periods no cache holds)."""
    async with httpx.AsyncClient(timeout=60) as control:
        counts: dict[int, dict[str, int]] = {}
        for index, size in enumerate(sizes):
            for port in stack.sim_ports.values():
                (await control.post(f"http://127.0.0.1:{port}/_sim/reset")).raise_for_status()
            target = _gql(stack, FANOUT, {"codes": CODES, "n": size,
                                          "period": f"{2015 + index}-02"})
            answer = await control.post(target.url, json=target.body, headers=target.headers)
            if answer.status_code != 200 or answer.json().get("errors"):
                raise SystemExit(f"fan-out query failed: {answer.text[:300]}")
            counts[size] = {name: len(await _calls(control, port))
                            for name, port in stack.sim_ports.items()}
        return counts


async def _over_slowest(stack: Stack, repeat: int) -> tuple[float, float, float, float]:
    """Median query latency, its excess over the slowest source's own time, and that excess
    split into before the first source call and after the last one ended (ms)."""
    async with httpx.AsyncClient(timeout=60) as control:
        latencies, excess, before, after = [], [], [], []
        for attempt in range(repeat):
            await _set_latencies(control, stack.sim_ports)
            await asyncio.sleep(0.1)
            target = _gql(stack, FANOUT, {"codes": CODES, "n": 25,
                                          "period": f"{2000 + attempt % 15}-0{1 + attempt // 15}"})
            started, wall_start = time.perf_counter(), time.time()
            answer = await control.post(target.url, json=target.body, headers=target.headers)
            elapsed, wall_end = (time.perf_counter() - started) * 1000, time.time()
            if answer.status_code != 200 or answer.json().get("errors"):
                raise SystemExit(f"fan-out query failed: {answer.text[:300]}")
            calls = [c for port in stack.sim_ports.values() for c in await _calls(control, port)]
            latencies.append(elapsed)
            excess.append(elapsed - max((c["ended_at"] - c["started_at"]) * 1000
                                        for c in calls))
            before.append((min(c["started_at"] for c in calls) - wall_start) * 1000)
            after.append((wall_end - max(c["ended_at"] for c in calls)) * 1000)
        for port in stack.sim_ports.values():
            (await control.post(f"http://127.0.0.1:{port}/_sim/reset")).raise_for_status()
        return (statistics.median(latencies), statistics.median(excess),
                statistics.median(before), statistics.median(after))


def _provinces(stack: Stack) -> list[str]:
    target = _gql(stack, "{ areas(level: PROVINCE, first: 100) { edges { node { code } } } }")
    _, body = _post(target)
    return [e["node"]["code"] for e in body["data"]["areas"]["edges"]]


def _machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    import os

    return (f"{model}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
            f"Node {node}, {platform.system()} {platform.release()}")


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2f}"


def _ratio(ours: float, reference: float) -> float:
    return ours / reference if reference else float("inf")


def _row(work: str, ours: str, reference: str, ratio: str, target: str, met: bool | None
         ) -> str:
    verdict = "—" if met is None else ("yes" if met else "**no**")
    return f"| {work} | {ours} | {reference} | {ratio} | {target} | {verdict} |"


def run(options: Options, pg: str, redis_url: str, with_peer: bool) -> None:
    require_wrk()
    started = datetime.now(UTC)
    with running_stack(pg, redis_url, with_peer=with_peer) as stack:
        provinces = _provinces(stack)
        dashboard = {"codes": DASHBOARD_CODES, "period": PERIOD}
        two_sources = {"codes": TWO_SOURCE_CODES, "period": PERIOD}
        targets = {
            "areagraph-typename": _gql(stack, TYPENAME),
            "floor-typename": Target(stack.url("floor", "/typename"), {"query": TYPENAME}, {}),
            "areagraph-dashboard": _gql(stack, DASHBOARD, dashboard),
            "areagraph-dashboard-2": _gql(stack, DASHBOARD, two_sources),
            "areagraph-dashboard-2-fresh": _gql(stack, DASHBOARD, two_sources, extra=NO_CACHE),
            "areagraph-subdistricts": _gql(stack, SUBDISTRICTS),
            "areagraph-subdistricts-cold": _gql(stack, SUBDISTRICTS, extra=NO_CACHE),
            "floor-subdistricts": Target(stack.url("floor", "/subdistricts"),
                                         {"query": SUBDISTRICTS}, {}),
        }
        if with_peer:
            targets["peer-dashboard"] = _peer_dashboard(stack, provinces, with_cdd=True)
            targets["peer-dashboard-2"] = _peer_dashboard(stack, provinces, with_cdd=False)
            targets["peer-cached-dashboard-2"] = _peer_dashboard(stack, provinces, with_cdd=False,
                                                                 peer="peer-cached")
        notes = _check(stack, targets, provinces)
        workdir = stack.workdir
        c = options.connections

        trivial = _interleaved({k: targets[k] for k in ("areagraph-typename", "floor-typename")},
                               options, workdir, c)
        names = ["areagraph-dashboard", "areagraph-dashboard-2", "areagraph-dashboard-2-fresh"]
        if with_peer:
            names += ["peer-dashboard", "peer-dashboard-2", "peer-cached-dashboard-2"]
        dash = _interleaved({k: targets[k] for k in names}, options, workdir, c)
        memory = {name: peak_rss_mib(process.pid) for name, process in stack.processes.items()}
        big = _interleaved({k: targets[k] for k in ("areagraph-subdistricts-cold",
                                                    "areagraph-subdistricts",
                                                    "floor-subdistricts")}, options, workdir, 1)
        calls = asyncio.run(_source_calls(stack, [5, 100, 1000]))
        latency, excess, before, after = asyncio.run(_over_slowest(stack,
                                                                    options.fanout_repeat))

    rps = {name: _median(loads, "rps") for name, loads in {**trivial, **dash}.items()}
    p99 = {name: _median(loads, "p99") for name, loads in dash.items()}
    p50 = {name: _median(loads, "p50") for name, loads in big.items()}
    rows = ["| work | areagraph | reference | ratio | target | met |",
            "|---|---|---|---|---|---|"]
    ratio = _ratio(rps["areagraph-typename"], rps["floor-typename"])
    rows.append(_row("`{ __typename }`, requests/s", _rate(rps['areagraph-typename']),
                     f"floor {_rate(rps['floor-typename'])}", f"{ratio:.2f}×", "≥ 0.6×",
                     ratio >= 0.6))
    for ours, peer, label, targeted in (
        ("areagraph-dashboard", "peer-dashboard",
         "dashboard: 77 provinces × 5 indicators, 3 sources", True),
        ("areagraph-dashboard-2", "peer-dashboard-2",
         "dashboard, like for like: 77 × 4 indicators, DOPA + PWA", True),
        ("areagraph-dashboard-2", "peer-cached-dashboard-2",
         "the same, both response caches on (5 s)", False),
        ("areagraph-dashboard-2-fresh", "peer-dashboard-2",
         "the same, areagraph's response cache bypassed (`Cache-Control: no-cache`)", False),
    ):
        if not with_peer:
            rows.append(_row(f"{label}, requests/s; p99 ms", f"{_rate(rps[ours])}; "
                             f"{p99[ours]:.1f}", "(no peer)", "—", "≥ 1×", None))
            continue
        reference = "Hive Gateway" + (" (response cache)" if "cached" in peer else "")
        ratio = _ratio(rps[ours], rps[peer])
        rows.append(_row(f"{label}, requests/s", _rate(rps[ours]),
                         f"{reference} {_rate(rps[peer])}", f"{ratio:.2f}×",
                         "≥ 1×" if targeted else "reported", ratio >= 1 if targeted else None))
        ratio = _ratio(p99[ours], p99[peer])
        rows.append(_row(f"{label}, p99 ms", f"{p99[ours]:.1f}", f"{reference} {p99[peer]:.1f}",
                         f"{ratio:.2f}×", "≤ 1×" if targeted else "reported",
                         ratio <= 1 if targeted else None))
    floor = p50["floor-subdistricts"]
    for name, label, limit in (("areagraph-subdistricts-cold", "cold", 4.0),
                               ("areagraph-subdistricts", "cached", 1.5)):
        ratio = _ratio(p50[name], floor)
        rows.append(_row(f"all 7,436 subdistricts × 5 fields, {label}, ms (p50, 1 connection)",
                         f"{p50[name]:.1f}", f"floor {floor:.1f}", f"{ratio:.2f}×",
                         f"≤ {limit:g}×", ratio <= limit))
    sizes = sorted(calls)
    per_source = ", ".join(f"{source} " + "/".join(str(calls[s][source]) for s in sizes)
                           for source in LATENCY_MS)
    constant = all(len({calls[s][source] for s in sizes}) == 1 for source in LATENCY_MS)
    rows.append(_row(f"calls per source, {' / '.join(f'{s:,}' for s in sizes)} areas",
                     per_source, "—", "—", "constant", constant))
    rows.append(_row(f"5 sources with set latencies {LATENCY_MS} ms, 25 areas: query ms, "
                     "over the slowest source (before its first call, after its last)",
                     f"{latency:.1f}, +{excess:.1f} ({before:.1f}, {after:.1f})",
                     f"slowest {max(LATENCY_MS.values())}", "—", "≤ +10 ms", excess <= 10))
    peer_memory = f"Hive Gateway {memory['peer']:.0f}" if "peer" in memory else "(no peer)"
    rows.append(_row("peak RSS of one worker after the dashboard load, MiB",
                     f"{memory['areagraph']:.0f}", peer_memory,
                     f"{memory['areagraph'] / memory['peer']:.2f}×" if "peer" in memory
                     else "—", "reported", None))
    print(f"\nareagraph benchmarks.compare — {started:%Y-%m-%d %H:%M} UTC — {_machine()}")
    print(f"wrk, 1 thread, {options.connections} connections (1 for the 7,436-row query), "
          f"{options.seconds:g} s per run after {options.warmup:g} s warm-up, "
          f"{options.rounds} interleaved rounds, medians\n")
    print("\n".join(rows))
    print(f"\nareagraph's dashboard: {notes['dashboard']}.")
    if "peer" in notes:
        print(f"Hive Gateway's dashboard (the same three source calls, unmerged): "
              f"{notes['peer']}.")


def _stop_cleanly(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)  # unwinds through running_stack, which stops what it started


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_cleanly)
    signal.signal(signal.SIGINT, _stop_cleanly)  # also when started in the background
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="short runs (3 s, 1 round) to see that everything works")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true", help="skip Hive Gateway")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    options = (Options(seconds=3, warmup=2, connections=args.connections, rounds=1,
                       fanout_repeat=3) if args.quick else
               Options(seconds=args.seconds, warmup=2, connections=args.connections,
                       rounds=args.rounds, fanout_repeat=7))
    run(options, args.pg, args.redis, with_peer=not args.no_peer)


if __name__ == "__main__":
    main()
