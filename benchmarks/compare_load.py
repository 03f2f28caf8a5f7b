"""The load generator of `benchmarks.compare`: wrk (Debian's), one POST body per target.

wrk runs as its own process with one thread, so it takes one core at most and never shares an
interpreter with the system under test; every target gets the same connections and duration.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LUA = """wrk.method = "POST"
local file = io.open("{body}", "rb")
wrk.body = file:read("*a")
file:close()
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Load:
    """One wrk run: requests per second and latency percentiles (ms); failed = non-2xx + errors."""

    rps: float
    p50: float
    p99: float
    requests: int
    failed: int


@dataclass(frozen=True)
class Target:
    """What to POST where: a URL, a JSON body and headers."""

    url: str
    body: dict[str, Any]
    headers: dict[str, str]


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian)")
    return found


def run_wrk(target: Target, workdir: Path, *, connections: int, seconds: float) -> Load:
    """Load `target` for `seconds` with `connections` keep-alive connections."""
    body = workdir / f"body-{abs(hash((target.url, json.dumps(target.body)))):x}.json"
    body.write_bytes(json.dumps(target.body, ensure_ascii=False).encode())
    script = body.with_suffix(".lua")
    script.write_text(_LUA.format(body=body), encoding="utf-8")
    headers = {"Content-Type": "application/json", **target.headers}
    command = [require_wrk(), "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s",
               "--latency", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, target.url], capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Load:
    percentiles = {int(p): float(v) * _UNITS[u] for p, v, u in _PERCENTILE.findall(output)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rps is None or total is None or 50 not in percentiles or 99 not in percentiles:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    if errors is not None:
        failed += sum(int(n) for n in errors.groups())
    return Load(rps=float(rps.group(1)), p50=percentiles[50], p99=percentiles[99],
                requests=int(total.group(1)), failed=failed)
