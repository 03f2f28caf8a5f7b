"""Syncing a simulated source into a test gateway's store, and reading what the store holds."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from areagraph.domain.figures.sync.flow import SyncReport, SyncScope, sync_source
from tests.conftest import Gateway

FY2026 = (date(2025, 10, 1), date(2026, 9, 30))
FY2026_Q1 = (date(2025, 10, 1), date(2025, 12, 31))


async def sync(gateway: Gateway, source: str, window: tuple[date, date] = FY2026,
               provinces: tuple[str, ...] = ("34",)) -> SyncReport:
    """Sync one source for a few provinces (the whole country is too much for a test)."""
    services = gateway.services
    found = services.sources.get(source)
    assert found is not None, source
    return await sync_source(found, services.database, SyncScope(provinces, *window))


async def stored(gateway: Gateway, where: str) -> list[dict[str, Any]]:
    """Observation rows matching a SQL condition, oldest revision first."""
    async with gateway.services.database.engine.connect() as conn:
        rows = await conn.execute(text(
            f"SELECT indicator_code, area_code, period, value, revision, is_current, source "
            f"FROM observation WHERE {where} ORDER BY indicator_code, area_code, period, "
            f"revision"))
        return [dict(r) for r in rows.mappings()]


_FIGURE = """query Figure($area: String!, $code: String!, $period: String!) {
  area(code: $area) {
    indicator(code: $code, period: $period) {
      value target achievementPct status computed source revision stale fetchedAt recordedAt
      coverage { reported expected level }
      periodCoverage { present expected missing }
      trend(last: 2) { period value }
    }
    LIVE
  }
}"""
_LIVE = "indicatorValues(codes: [$code], period: $period) { value source stale }"


async def figure(gateway: Gateway, area: str, code: str, period: str,
                 live: bool = True) -> dict[str, Any]:
    """The stored figure (`indicator`) and, when `live`, the source's own answer."""
    query = _FIGURE.replace("LIVE", _LIVE if live else "")
    body = await gateway.query(query, {"area": area, "code": code, "period": period})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["area"]
    return found


async def set_target(gateway: Gateway, code: str, area: str, fiscal_year: int,
                     value: float) -> None:
    body = await gateway.query(
        """mutation($input: [TargetInput!]!) { setTargets(input: $input) { value } }""",
        {"input": [{"indicatorCode": code, "areaCode": area, "fiscalYear": fiscal_year,
                    "value": value}]})
    assert "errors" not in body, body
