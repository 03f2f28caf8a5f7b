"""What `benchmarks.compare` starts and stops: a database, simulators, the gateway, the floor.

Everything runs on 127.0.0.1 on free ports; every process is stopped, the database dropped and
the Redis keys removed when the run ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
from sqlalchemy import create_engine, text

from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.principal import Role
from areagraph.connectors.local.seed import seed_reference
from areagraph.connectors.simulators.sources_file import write_sources_file
from areagraph.core.settings import Settings
from areagraph.migrations.run import upgrade_to_head
from benchmarks.fanout import LATENCY_MS, _free_port, _start_simulators, _wait_for

REPO = Path(__file__).resolve().parent.parent
RESPONSE_CACHE_TTL = 5.0  # seconds, areagraph's default; the peer's response cache gets the same
PACKAGED_SOURCES = REPO / "connectors" / "sources.toml"


@dataclass
class Stack:
    """The running pieces of one comparison."""

    workdir: Path
    database_url: str
    redis_url: str
    prefix: str
    sim_ports: dict[str, int]
    token: str = ""
    gateway_port: int = 0
    floor_port: int = 0
    peer_port: int = 0
    peer_cached_port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, name: str, path: str) -> str:
        port = {"areagraph": self.gateway_port, "floor": self.floor_port,
                "peer": self.peer_port, "peer-cached": self.peer_cached_port}[name]
        return f"http://127.0.0.1:{port}{path}"


def _admin(admin_url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=admin_url).sync_database_url,
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _sources_file(directory: Path, ports: dict[str, int]) -> Path:
    """The packaged sources file (its timeouts and cache lifetimes) on the simulators' ports."""
    packaged = tomllib.loads(PACKAGED_SOURCES.read_text(encoding="utf-8"))["sources"]
    return write_sources_file(
        directory / "sources.toml", {n: f"http://127.0.0.1:{p}" for n, p in ports.items()},
        {n: {key: packaged[n][key] for key in ("timeout", "cache_ttl")} for n in ports})


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{url} did not answer; see {log}")


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stdout=out,
                                stderr=out)


def gateway_env(stack: Stack, sources: Path) -> dict[str, str]:
    """areagraph as production runs it (PostgreSQL, Redis, caches on), dev tokens for sign-in,
    limits widened only where the benchmark's own queries need it."""
    return {
        "AREAGRAPH_DATABASE_URL": stack.database_url,
        "AREAGRAPH_REDIS_URL": stack.redis_url,
        "AREAGRAPH_REDIS_PREFIX": f"{stack.prefix}:",
        "AREAGRAPH_SOURCE_CACHE_PREFIX": f"{stack.prefix}:source:",
        "AREAGRAPH_SOURCES_FILE": str(sources),
        "AREAGRAPH_DEV_TOKENS": "true",
        "AREAGRAPH_DEV_KEY_PATH": str(stack.workdir / "dev-key.json"),
        "AREAGRAPH_LOG_LEVEL": "warning",
        # all 7,436 subdistricts in one page; the default caps are 1,000 rows and cost 50,000
        "AREAGRAPH_MAX_PAGE_SIZE": "10000",
        "AREAGRAPH_MAX_QUERY_COST": "1000000",
        # one caller sends thousands of requests a second: the limiter still runs, never refuses
        "AREAGRAPH_RATE_LIMIT_BURST": "1000000000",
        "AREAGRAPH_RATE_LIMIT_PER_SECOND": "1000000000",
        "AREAGRAPH_RESPONSE_CACHE_TTL": str(RESPONSE_CACHE_TTL),
    }


@contextlib.contextmanager
def running_stack(pg_admin: str, redis_url: str, *, with_peer: bool) -> Iterator[Stack]:
    """Create and seed a database, start simulators, gateway, floor (and peer); stop them all."""
    from benchmarks import compare_peer

    name = f"ag_compare_{uuid.uuid4().hex[:8]}"
    base_url, _, _ = pg_admin.rpartition("/")
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / name
    workdir.mkdir(parents=True)
    ports = {source: _free_port() for source in LATENCY_MS}
    stack = Stack(workdir=workdir, database_url=f"{base_url}/{name}", redis_url=redis_url,
                  prefix=name, sim_ports=ports)
    _admin(pg_admin, f'CREATE DATABASE "{name}"')
    simulators: list[subprocess.Popen[bytes]] = []
    try:
        settings = Settings(database_url=stack.database_url)
        upgrade_to_head(settings)
        engine = create_engine(settings.sync_database_url)
        seed_reference(engine)
        engine.dispose()
        stack.token = issue_token(load_or_create_key(workdir / "dev-key.json"),
                                  audience=settings.oidc_audience, subject="benchmark",
                                  roles=[Role.EXECUTIVE], ttl=4 * 3600)
        sources = _sources_file(workdir, ports)
        simulators = _start_simulators(sources)
        _wait_for(ports)

        stack.gateway_port = _free_port()
        log = workdir / "areagraph.log"
        stack.processes["areagraph"] = _spawn(
            [sys.executable, "-c", "from areagraph.api.cli.main import main; main()", "serve",
             "--port", str(stack.gateway_port)], gateway_env(stack, sources), log)
        _wait_http(stack.url("areagraph", "/healthz"), stack.processes["areagraph"], log)

        stack.floor_port = _free_port()
        log = workdir / "floor.log"
        stack.processes["floor"] = _spawn(
            [sys.executable, "-m", "uvicorn", "benchmarks.compare_floor:app", "--host",
             "127.0.0.1", "--port", str(stack.floor_port), "--loop", "uvloop", "--http",
             "httptools", "--log-level", "warning", "--no-access-log"],
            {"AREAGRAPH_DATABASE_URL": stack.database_url}, log)
        _wait_http(stack.url("floor", "/docs"), stack.processes["floor"], log)

        if with_peer:
            compare_peer.install()
            token = httpx.post(f"http://127.0.0.1:{ports['pwa']}/oauth/token", data={
                "grant_type": "client_credentials", "client_id": "areagraph",
                "client_secret": "demo-pwa-secret"}).json()["access_token"]
            compare_peer.compose(ports, token)
            stack.peer_port = _free_port()
            stack.processes["peer"] = compare_peer.start(stack.peer_port, workdir / "peer.log")
            stack.peer_cached_port = _free_port()
            stack.processes["peer-cached"] = compare_peer.start(
                stack.peer_cached_port, workdir / "peer-cached.log",
                response_cache_ttl=RESPONSE_CACHE_TTL)
        yield stack
    finally:
        for process in [*stack.processes.values(), *simulators]:
            process.terminate()
        for process in [*stack.processes.values(), *simulators]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        _admin(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _forget_keys(redis_url, name)


def _forget_keys(redis_url: str, prefix: str) -> None:
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
        client.close()


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size so far (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
