"""In production an internal failure answers a code and a generic message: no stack trace, no
SQL, no host names."""

from __future__ import annotations

import re

from sqlalchemy import text

from auth.api_keys import create_api_key
from tests.api.conftest import OpenGateway

_LEAKS = re.compile(r"Traceback|sqlite|SELECT|OperationalError|no such table|\.py\b|127\.0\.0",
                    re.IGNORECASE)


async def test_internal_errors_are_masked(open_gateway: OpenGateway) -> None:
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

    rest = await gateway.client.get("/api/v1/areas/34", headers=gateway.headers)
    assert rest.status_code == 500
    assert rest.json() == {"code": "INTERNAL_SERVER_ERROR", "message": "Internal server error."}
    assert rest.headers["x-request-id"]
