"""X-Forwarded-For names the client only when a configured proxy sends it: from any other peer
(loopback included) it cannot move a caller into another rate-limit bucket."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from areagraph.api.app import create_app
from areagraph.core.settings import Settings
from tests.api.realtime.conftest import GatewayProcess, free_port

QUERY = {"query": "{ __typename }"}


@asynccontextmanager
async def peers(settings: Settings) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Clients reaching one app from a proxy's address, an outsider's and loopback."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        clients = {name: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 40000)),
            base_url="http://areagraph") for name, address in (
            ("proxy", "10.0.0.2"), ("outsider", "203.0.113.5"), ("loopback", "127.0.0.1"))}
        try:
            yield clients
        finally:
            for client in clients.values():
                await client.aclose()


async def _status(client: httpx.AsyncClient, forwarded_for: str) -> int:
    response = await client.post("/graphql", json=QUERY,
                                 headers={"X-Forwarded-For": forwarded_for})
    return response.status_code


def _settings(database_url: str, **changes: object) -> Settings:
    return Settings(database_url=database_url, redis_url=None, rate_limit_anonymous_burst=1,
                    rate_limit_anonymous_per_second=0.001, **changes)  # type: ignore[arg-type]


async def test_only_a_trusted_proxy_moves_the_bucket(database_url: str) -> None:
    async with peers(_settings(database_url, trusted_proxies=["10.0.0.0/8"])) as via:
        # Through the proxy each forwarded client has its own bucket...
        assert await _status(via["proxy"], "198.51.100.1") == 200
        assert await _status(via["proxy"], "198.51.100.2") == 200
        assert await _status(via["proxy"], "198.51.100.1") == 429
        # ...while an outsider's own address is its bucket, whatever it claims.
        assert await _status(via["outsider"], "198.51.100.3") == 200
        assert await _status(via["outsider"], "198.51.100.4") == 429
        assert await _status(via["loopback"], "198.51.100.5") == 200
        assert await _status(via["loopback"], "198.51.100.6") == 429


async def test_no_proxy_is_trusted_by_default(database_url: str) -> None:
    async with peers(_settings(database_url)) as via:
        assert await _status(via["proxy"], "198.51.100.1") == 200
        assert await _status(via["proxy"], "198.51.100.2") == 429


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[GatewayProcess]:
    """`areagraph serve` as deployed (uvicorn under it), reached over loopback."""
    gateway = GatewayProcess({}, tmp_path / "serve.log")
    gateway.port = free_port()
    env = {**os.environ, "AREAGRAPH_DATABASE_URL": database_url,
           "AREAGRAPH_PORT": str(gateway.port),
           "AREAGRAPH_RATE_LIMIT_ANONYMOUS_BURST": "1",
           "AREAGRAPH_RATE_LIMIT_ANONYMOUS_PER_SECOND": "0.001",
           "FORWARDED_ALLOW_IPS": "*"}  # uvicorn's own setting must not matter any more
    with gateway.log.open("ab") as log:
        gateway.process = subprocess.Popen(
            [sys.executable, "-c", "from areagraph.api.cli.main import main; main()", "serve"],
            cwd=Path(__file__).parents[3], env=env, stdout=log, stderr=log)
    try:
        gateway.wait_ready()
        yield gateway
    finally:
        gateway.stop()


async def test_the_served_gateway_ignores_forwarded_headers_from_loopback(
        served: GatewayProcess) -> None:
    async with httpx.AsyncClient(base_url=served.http_url, timeout=10) as client:
        first = await client.post("/graphql", json=QUERY,
                                  headers={"X-Forwarded-For": "198.51.100.1"})
        second = await client.post("/graphql", json=QUERY,
                                   headers={"X-Forwarded-For": "198.51.100.2"})
    assert (first.status_code, second.status_code) == (200, 429)
