"""Shared GraphQL documents and a helper to record figures in tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.conftest import Gateway

RECORD = """
mutation Record($input: [ObservationInput!]!, $key: String) {
  recordObservations(input: $input, idempotencyKey: $key) {
    accepted written unchanged replayed
    revisions { indicatorCode areaCode period value revision }
    errors { index field reason }
  }
}
"""

VALUE = """
query Value($area: String!, $code: String!, $period: String!) {
  area(code: $area) {
    indicator(code: $code, period: $period) {
      value computed coverage { reported expected level ratio }
    }
  }
}
"""


def row(indicator: str, area: str, period: str, value: float) -> dict[str, Any]:
    return {"indicatorCode": indicator, "areaCode": area, "period": period, "value": value}


async def record(gateway: Gateway, rows: list[dict[str, Any]],
                 key: str | None = None) -> dict[str, Any]:
    body = await gateway.query(RECORD, {"input": rows, "key": key})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["recordObservations"]
    return result


async def value_of(gateway: Gateway, area: str, code: str, period: str) -> dict[str, Any]:
    body = await gateway.query(VALUE, {"area": area, "code": code, "period": period})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["area"]["indicator"]
    return found


async def count_rows(gateway: Gateway, table: str) -> int:
    """Rows in a table of the gateway's own store (to prove nothing was written)."""
    async with gateway.services.database.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def rows_of(gateway: Gateway, statement: str) -> list[dict[str, Any]]:
    async with gateway.services.database.engine.connect() as conn:
        return [dict(r) for r in (await conn.execute(text(statement))).mappings()]
