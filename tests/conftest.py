"""Fixtures: every database test runs on SQLite and on PostgreSQL, each with its own database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from areagraph.api.app import create_app
from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.principal import Role
from areagraph.connectors.simulators.server import RunningSimulator, start_simulators
from areagraph.core.settings import Settings
from tests.databases import BACKENDS, TemplateDatabases
from tests.simulators import Simulators


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabases]:
    databases = TemplateDatabases(Path(tmp_path_factory.mktemp("databases")))
    yield databases
    databases.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(templates: TemplateDatabases, backend: str) -> Iterator[str]:
    with templates.fresh(backend) as url:
        yield url


@pytest.fixture(scope="session")
def simulators() -> Iterator[dict[str, RunningSimulator]]:
    """Every source simulator as a real HTTP server (each in a thread, on a free port)."""
    running = start_simulators()
    yield running
    for simulator in running.values():
        simulator.stop()


@pytest.fixture
def sims(simulators: dict[str, RunningSimulator]) -> Iterator[Simulators]:
    """The simulators with their faults off and call logs empty, before and after the test."""
    handle = Simulators(simulators)
    handle.reset()
    yield handle
    handle.reset()


@pytest.fixture(scope="session")
def dev_key_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(tmp_path_factory.mktemp("keys")) / "dev-key.json"


@pytest.fixture
def settings(database_url: str, dev_key_path: Path) -> Settings:
    # Suites send hundreds of requests from one client; the rate-limit tests set their own.
    return Settings(database_url=database_url, redis_url=None, dev_tokens=True,
                    dev_key_path=dev_key_path, rate_limit_burst=100_000,
                    rate_limit_anonymous_burst=100_000)


def dev_token(settings: Settings, roles: Sequence[str], areas: Sequence[str] = (),
              agency: str | None = None, topics: Sequence[str] = (), subject: str = "tester",
              ttl: int = 3600) -> str:
    """A development token, as `areagraph token` prints it."""
    return issue_token(load_or_create_key(settings.dev_key_path),
                       audience=settings.oidc_audience, subject=subject,
                       roles=[Role(r) for r in roles], areas=areas, agency=agency,
                       topics=topics, ttl=ttl)


class StatementCounter:
    """Counts the SQL statements an engine runs while `active`."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        self.statements.append(statement)

    def reset(self) -> None:
        self.count = 0
        self.statements.clear()


class Gateway:
    """The app under test, reached over HTTP through its ASGI interface.

    It starts logged in as a ministry administrator; `login` and `logout` change that.
    """

    def __init__(self, app: Any, client: httpx.AsyncClient, statements: StatementCounter) -> None:
        self.app = app
        self.client = client
        self.statements = statements
        self.headers: dict[str, str] = {}

    @property
    def services(self) -> Any:
        return self.app.state.services

    def login(self, roles: Sequence[str] | str, areas: Sequence[str] = (),
              agency: str | None = None, topics: Sequence[str] = (),
              subject: str = "tester") -> str:
        """Send a development token with the following requests; returns the token."""
        token = dev_token(self.services.settings, [roles] if isinstance(roles, str) else roles,
                          areas, agency, topics, subject)
        self.headers["Authorization"] = f"Bearer {token}"
        return token

    def logout(self) -> None:
        self.headers.pop("Authorization", None)

    async def query(self, query: str, variables: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}},
            headers={**self.headers, **(headers or {})},
        )
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body


async def serve(settings: Settings) -> AsyncIterator[Gateway]:
    """A gateway for `settings` that sends no credentials until told to."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        counter = StatementCounter()
        event.listen(app.state.services.database.engine.sync_engine, "before_cursor_execute",
                     counter)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://areagraph") as client:
            yield Gateway(app, client, counter)


@pytest.fixture
async def gateway(settings: Settings) -> AsyncIterator[Gateway]:
    async for gateway in serve(settings):
        gateway.login("ministry_admin", subject="admin")
        yield gateway
