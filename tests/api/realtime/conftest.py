"""Real gateways for real-time tests: uvicorn processes sharing PostgreSQL and a Redis of our own.

The Redis server is started here on a free port, so a test may stop and start it; the shared one
on 6379 is never touched. Two replicas run on PostgreSQL only: SQLite has no row locks, so two
processes' outbox relays would both claim and publish the same events (SQLite is the
single-replica store); one gateway alone (`one_gateway`) runs on either database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy import create_engine, func, select

from areagraph.connectors.local.models import OutboxEvent
from areagraph.core.settings import Settings
from tests.conftest import dev_token
from tests.databases import TemplateDatabases

REPO = Path(__file__).resolve().parents[3]
WEBHOOK_SECRET = "ddpm-test-secret"
TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL
WAIT = 10.0  # the longest any single expected event may take


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up in {timeout:g} s")


class RedisServer:
    """A redis-server of our own that a test may stop and start again on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until(self._answers, "redis-server", 10)

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class GatewayProcess:
    """`areagraph serve` in a subprocess, configured through the environment."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def start(self) -> None:
        with self.log.open("ab") as log:
            # As production runs it (`areagraph serve`: uvicorn with its options).
            self.process = subprocess.Popen(
                [sys.executable, "-m", "areagraph.api.cli", "serve", "--port", str(self.port)],
                cwd=REPO, env={**os.environ, "AREAGRAPH_LOG_LEVEL": "warning", **self.env},
                stdout=log, stderr=log)

    def wait_ready(self) -> None:
        def ready() -> bool:
            assert self.process is not None and self.process.poll() is None, self.log.read_text()
            return httpx.get(f"{self.http_url}/healthz", timeout=1).status_code == 200

        _wait_until(ready, f"gateway on port {self.port}", timeout=120)  # a loaded machine

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None


@contextlib.contextmanager
def one_gateway(templates: TemplateDatabases, dev_key_path: Path, log: Path,
                env: dict[str, str], backend: str = "sqlite",
                ) -> Iterator[tuple[GatewayProcess, Settings]]:
    """One gateway process on a fresh database, without Redis, with `env` added."""
    from areagraph.auth.dev_issuer import load_or_create_key

    load_or_create_key(dev_key_path)
    with templates.fresh(backend) as database_url:
        gateway = GatewayProcess({
            "AREAGRAPH_DATABASE_URL": database_url, "AREAGRAPH_DEV_TOKENS": "true",
            "AREAGRAPH_DEV_KEY_PATH": str(dev_key_path), **env}, log)
        gateway.start()
        try:
            gateway.wait_ready()
            yield gateway, Settings(database_url=database_url, dev_tokens=True,
                                    dev_key_path=dev_key_path)
        finally:
            gateway.stop()


class Realtime:
    """Two gateways over one database and one Redis, and what tests need to drive them."""

    def __init__(self, a: GatewayProcess, b: GatewayProcess, redis: RedisServer,
                 settings: Settings) -> None:
        self.a, self.b, self.redis, self.settings = a, b, redis, settings

    def token(self, roles: Sequence[str] | str, areas: Sequence[str] = (), ttl: int = 3600,
              subject: str = "tester", agency: str | None = None) -> str:
        return dev_token(self.settings, [roles] if isinstance(roles, str) else roles, areas,
                         agency=agency, subject=subject, ttl=ttl)

    def latest_event_id(self) -> int:
        engine = create_engine(self.settings.sync_database_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(select(func.max(OutboxEvent.id))).scalar() or 0)
        finally:
            engine.dispose()

    async def graphql(self, gateway: GatewayProcess, query: str, token: str,
                      variables: dict[str, Any] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(f"{gateway.http_url}/graphql",
                                         json={"query": query, "variables": variables or {}},
                                         headers={"Authorization": f"Bearer {token}"})
        body: dict[str, Any] = response.json()
        assert "errors" not in body and "data" in body, (response.status_code, body)
        return body["data"]

    async def record(self, gateway: GatewayProcess, rows: list[tuple[str, str, str, float]],
                     token: str | None = None) -> list[dict[str, Any]]:
        """Record figures through the `recordObservations` mutation (as a ministry admin)."""
        data = await self.graphql(
            gateway,
            "mutation($rows: [ObservationInput!]!) { recordObservations(input: $rows) "
            "{ accepted written errors { reason } } }",
            token or self.token("ministry_admin", subject="admin"),
            {"rows": [{"indicatorCode": i, "areaCode": a, "period": p, "value": v}
                      for i, a, p, v in rows]})
        assert data["recordObservations"]["accepted"], data
        return data["recordObservations"]

    async def ingest(self, gateway: GatewayProcess, events: list[dict[str, Any]],
                     secret: str = WEBHOOK_SECRET, timestamp: int | None = None,
                     source: str = "ddpm") -> httpx.Response:
        from areagraph.api.sources.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

        body = json.dumps({"events": events}).encode()
        sent = int(time.time()) if timestamp is None else timestamp
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.post(
                f"{gateway.http_url}/ingest/{source}", content=body,
                headers={"Content-Type": "application/json", TIMESTAMP_HEADER: str(sent),
                         SIGNATURE_HEADER: sign(secret, sent, body)})


class Subscriber:
    """A `gql` client subscribed over a websocket; received results queue up for the test."""

    def __init__(self, url: str, token: str | None, query: str,
                 variables: dict[str, Any] | None = None, subprotocol: str = TRANSPORT_WS,
                 ) -> None:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        self.transport = WebsocketsTransport(url=url, init_payload=payload,
                                             subprotocols=[subprotocol])
        self.request = GraphQLRequest(query, variable_values=variables or {})
        self.received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.error: BaseException | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Subscriber:
        self._task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        try:
            async with Client(transport=self.transport) as session:
                async for result in session.subscribe(self.request):
                    await self.received.put(result)
        except Exception as error:
            self.error = error

    async def next(self, within: float = WAIT) -> dict[str, Any]:
        return await asyncio.wait_for(self.received.get(), within)

    async def failure(self, within: float = WAIT) -> BaseException | None:
        """The error the subscription ended with (waits for it to end)."""
        assert self._task is not None
        await asyncio.wait_for(asyncio.shield(self._task), within)
        return self.error

    async def __aexit__(self, *_exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def realtime(templates: TemplateDatabases, redis_server: RedisServer, dev_key_path: Path,
             tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> Iterator[Realtime]:
    """Two gateways; a test module may add settings in a module-level `GATEWAY_ENV`."""
    from areagraph.auth.dev_issuer import load_or_create_key

    load_or_create_key(dev_key_path)
    logs = tmp_path_factory.mktemp("gateways")
    with templates.fresh("postgresql") as database_url:
        env = {
            "AREAGRAPH_DATABASE_URL": database_url,
            "AREAGRAPH_REDIS_URL": redis_server.url,
            "AREAGRAPH_DEV_TOKENS": "true",
            "AREAGRAPH_DEV_KEY_PATH": str(dev_key_path),
            "AREAGRAPH_WEBHOOK_SECRETS": json.dumps({"ddpm": WEBHOOK_SECRET}),
            "AREAGRAPH_OUTBOX_RELAY_INTERVAL": "0.3",
            "AREAGRAPH_WS_QUEUE_SIZE": "32",
            "AREAGRAPH_WS_KEEP_ALIVE_SECONDS": "1",
            **getattr(request.module, "GATEWAY_ENV", {}),
        }
        a = GatewayProcess(env, logs / "a.log")
        b = GatewayProcess(env, logs / "b.log")
        settings = Settings(database_url=database_url, dev_tokens=True,
                            dev_key_path=dev_key_path)
        try:
            a.start()
            b.start()
            a.wait_ready()
            b.wait_ready()
            yield Realtime(a, b, redis_server, settings)
        finally:
            a.stop()
            b.stop()


@pytest.fixture
async def admin_token(realtime: Realtime) -> AsyncIterator[str]:
    yield realtime.token("ministry_admin", subject="admin")
