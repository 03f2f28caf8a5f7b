"""auditLog(personalOnly: true) filters in the store: full pages, a totalCount of the same rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from areagraph.connectors.local.models import AuditRecord
from tests.conftest import Gateway

PAGE = """query($after: String) { auditLog(personalOnly: true, first: 5, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { subject personalFields } } } }"""


async def _seed(gateway: Gateway) -> list[str]:
    """40 records, newest last: every fifth one a read of personal data."""
    rows: list[dict[str, Any]] = [
        {"subject": f"user-{i:02d}", "roles": ["executive"], "operation": "Read",
         "query_hash": "0" * 64, "variables": {}, "changes": [],
         "personal_fields": [f"1567-T-{i}:name"] if i % 5 == 0 else []}
        for i in range(40)]
    async with gateway.services.database.engine.begin() as conn:
        await conn.execute(insert(AuditRecord.__table__), rows)  # type: ignore[attr-defined]
    return [str(r["subject"]) for r in reversed(rows) if r["personal_fields"]]


async def test_personal_only_pages_are_full_and_counted(gateway: Gateway) -> None:
    personal = await _seed(gateway)
    gateway.login("auditor", subject="auditor-1")
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        body = await gateway.query(PAGE, {"after": after})
        log = body["data"]["auditLog"]
        assert log["totalCount"] == 8, body
        subjects = [e["node"]["subject"] for e in log["edges"]]
        assert all(e["node"]["personalFields"] for e in log["edges"])
        seen += subjects
        pages += 1
        if not log["pageInfo"]["hasNextPage"]:
            break
        assert len(subjects) == 5  # a page is short only when it is the last
        after = log["pageInfo"]["endCursor"]
    assert seen == personal and pages == 2
