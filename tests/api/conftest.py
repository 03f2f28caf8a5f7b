"""HTTP-level fixtures: `open_gateway(**settings)` starts a gateway with its own settings (small
limits, allow-lists); like every database test, each runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from areagraph.api.app import create_app
from areagraph.core.settings import Settings
from tests.conftest import Gateway, StatementCounter

OpenGateway = Callable[..., Awaitable[Gateway]]

# What a provincial dashboard asks for: it must pass every limit.
DASHBOARD = """
query Dashboard {
  provinces: areas(level: PROVINCE) { totalCount }
  ubon: area(code: "34") {
    nameTh nameEn
    children { code nameTh nameEn }
    ancestors { code nameTh }
    water: observations(indicatorCode: "SAFE_WATER_PCT", from: "2026-01", to: "2026-03") {
      period value yearBE
    }
  }
  indicators(sdgGoal: "6") { code nameEn sdgCodes aggregation }
  projects(areaCode: "34", first: 5) {
    totalCount
    edges { node { code titleTh budgetAllocated } }
  }
}
"""


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Gateway]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://areagraph") as client:
            gateway = Gateway(app, client, StatementCounter())
            gateway.login("ministry_admin", subject="admin")
            yield gateway


@pytest.fixture
async def open_gateway(database_url: str, dev_key_path: Path) -> AsyncIterator[OpenGateway]:
    async with AsyncExitStack() as stack:

        async def open_(**overrides: Any) -> Gateway:
            values: dict[str, Any] = {"database_url": database_url, "redis_url": None,
                                      "dev_tokens": True, "dev_key_path": dev_key_path}
            settings = Settings(**{**values, **overrides})
            return await stack.enter_async_context(running(settings))

        yield open_


@pytest.fixture
async def http_gateway(open_gateway: OpenGateway) -> Gateway:
    """The gateway with the suite's settings but its own rate limits (the defaults)."""
    return await open_gateway()


@pytest.fixture
def redis_prefix() -> str:
    return f"areagraph-test:{uuid.uuid4().hex[:12]}:"
