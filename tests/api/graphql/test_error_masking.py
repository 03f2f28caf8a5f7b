"""In production an internal failure answers a code and a generic message: no stack trace, no
SQL, no host names, in neither database's wording (SQLite's, or asyncpg's for PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from areagraph.auth.api_keys import create_api_key
from tests.api.conftest import OpenGateway

_LEAKS = re.compile(
    r"Traceback|\.py\b|127\.0\.0|sqlalchemy|SELECT|\bFROM\b|area_gone|"
    r"sqlite|OperationalError|no such table|"  # SQLite
    r"asyncpg|postgres|psycopg|UndefinedTable|ProgrammingError|does not exist|relation",  # PG
    re.IGNORECASE)


async def test_internal_errors_are_masked(open_gateway: OpenGateway, backend: str,
                                          caplog: pytest.LogCaptureFixture) -> None:
    gateway = await open_gateway(environment="production", dev_tokens=False)
    issued = await create_api_key(gateway.services.database, name="auditor", roles=["auditor"],
                                  created_by="test")
    gateway.headers = {"X-API-Key": issued.key}
    async with gateway.services.database.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE area RENAME TO area_gone"))

    graphql = await gateway.client.post("/graphql", json={"query": '{ area(code: "34") { code } }'},
                                        headers=gateway.headers)
    [error] = graphql.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["message"] == "Internal server error."
    assert not _LEAKS.search(graphql.text)
    # The database's own words were there to leak: the log has them, the answer does not.
    driver = {"sqlite": "no such table: area", "postgresql": 'asyncpg.exceptions.UndefinedTable'}
    assert driver[backend] in caplog.text and _LEAKS.search(caplog.text)

    rest = await gateway.client.get("/api/v1/areas/34", headers=gateway.headers)
    assert rest.status_code == 500
    assert rest.json() == {"code": "INTERNAL_SERVER_ERROR", "message": "Internal server error."}
    assert rest.headers["x-request-id"]
