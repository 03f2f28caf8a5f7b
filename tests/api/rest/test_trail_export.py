"""The audit trail and figure revisions as CSV and JSON Lines files, streamed and audited."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from areagraph.api.rest.trail_export import AUDIT_COLUMNS, Format, _audit_line, encode
from areagraph.connectors.local.audit_log import AuditFilter
from areagraph.connectors.local.models import AuditRecord
from areagraph.connectors.local.trail_reads import audit_batches
from tests.conftest import Gateway
from tests.domain.helpers import record, row, rows_of

AUDIT_EXPORT = "/api/v1/exports/audit-log"
HISTORY_EXPORT = "/api/v1/exports/observation-history"


async def _get(gateway: Gateway, path: str, **params: Any) -> Any:
    return await gateway.client.get(path, params=params, headers=gateway.headers)


def _csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "Excel needs the BOM to read Thai"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


async def _record_some(gateway: Gateway) -> None:
    gateway.login("governor", areas=["34"], subject="governor-34")
    await record(gateway, [row("SAFE_WATER_PCT", "340101", "2026-03", 71.5)])
    await record(gateway, [row("SAFE_WATER_PCT", "340101", "2026-03", 72.0)])
    gateway.login("governor", areas=["10"], subject="governor-10")
    await record(gateway, [row("SAFE_WATER_PCT", "100101", "2026-03", 90.0)])


async def test_an_auditor_downloads_the_trail_as_csv_filtered_by_caller_and_area(
        gateway: Gateway) -> None:
    await _record_some(gateway)
    gateway.login("auditor", subject="auditor-1")
    response = await _get(gateway, AUDIT_EXPORT, caller="governor-34")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="audit-log.csv"' in response.headers["content-disposition"]
    rows = _csv(response.text)
    assert [r["subject"] for r in rows] == ["governor-34", "governor-34"]
    assert list(rows[0]) == list(AUDIT_COLUMNS)
    assert rows[0]["operation"] == "Record"
    assert "340101" in rows[0]["changes"]

    by_area = _csv((await _get(gateway, AUDIT_EXPORT, area="10", operation="Record")).text)
    assert [r["subject"] for r in by_area] == ["governor-10"]
    # Nothing was written in 11; the only record about it is this export's own.
    other = _csv((await _get(gateway, AUDIT_EXPORT, area="11")).text)
    assert [(r["operation"], r["subject"]) for r in other] == [("exportAuditLog", "auditor-1")]


async def test_each_export_is_itself_an_audit_record(gateway: Gateway) -> None:
    gateway.login("auditor", subject="auditor-1")
    response = await _get(gateway, AUDIT_EXPORT, format="jsonl", period="2026-12")
    assert response.status_code == 200
    found = await rows_of(gateway, "SELECT subject, operation, variables FROM audit_record "
                                   "WHERE operation = 'exportAuditLog'")
    assert len(found) == 1
    assert found[0]["subject"] == "auditor-1"
    variables = found[0]["variables"]
    variables = json.loads(variables) if isinstance(variables, str) else variables
    assert variables == {"format": "jsonl", "period": "2026-12"}

    again = await _get(gateway, AUDIT_EXPORT, format="jsonl")
    lines = [json.loads(line) for line in again.text.splitlines()]
    assert [line["operation"] for line in lines] == ["exportAuditLog", "exportAuditLog"]
    assert lines[0]["subject"] == "auditor-1"


async def test_the_period_filter_uses_bangkok_days(gateway: Gateway) -> None:
    await _record_some(gateway)
    gateway.login("auditor", subject="auditor-1")
    now = datetime.now(UTC) + timedelta(hours=7)
    this_month = f"{now.year:04d}-{now.month:02d}"
    found = _csv((await _get(gateway, AUDIT_EXPORT, period=this_month, operation="Record")).text)
    assert len(found) == 3
    assert _csv((await _get(gateway, AUDIT_EXPORT, period="2019-01")).text) == []


async def test_only_auditors_and_admins_may_export_the_trail(gateway: Gateway) -> None:
    for role, areas in (("governor", ["34"]), ("executive", []), ("partner", [])):
        gateway.login(role, areas=areas)
        response = await _get(gateway, AUDIT_EXPORT)
        assert response.status_code == 403, role
        assert response.json()["code"] == "FORBIDDEN"
    gateway.logout()
    assert (await _get(gateway, AUDIT_EXPORT)).status_code == 401
    gateway.login("ministry_admin")
    assert (await _get(gateway, AUDIT_EXPORT)).status_code == 200


async def test_bad_filters_are_refused_with_a_code(gateway: Gateway) -> None:
    gateway.login("auditor")
    bad_period = await _get(gateway, AUDIT_EXPORT, period="2026-13")
    assert bad_period.status_code == 400
    assert bad_period.json()["code"] == "BAD_USER_INPUT"
    for params in ({"area": "๓๔"}, {"format": "xlsx"}, {"area": "3"}):
        response = await _get(gateway, AUDIT_EXPORT, **params)
        assert response.status_code in (400, 422), params
        assert "code" in response.json(), params
    exports = await rows_of(gateway, "SELECT id FROM audit_record "
                                     "WHERE operation = 'exportAuditLog'")
    assert exports == []


async def test_figure_revisions_export_keeps_to_what_the_caller_may_read(
        gateway: Gateway) -> None:
    await _record_some(gateway)
    gateway.login("governor", areas=["34"], subject="governor-34")
    mine = _csv((await _get(gateway, HISTORY_EXPORT, area="34")).text)
    assert [(r["area_code"], r["value"], r["revision"]) for r in mine] == [
        ("340101", "71.5", "1"), ("340101", "72.0", "2")]
    assert [r["is_current"] for r in mine] == ["False", "True"]

    # Another province: its subdistricts' figures are out of this governor's reach.
    theirs = await _get(gateway, HISTORY_EXPORT, area="10")
    assert theirs.status_code == 200
    assert _csv(theirs.text) == []

    gateway.login("auditor", subject="auditor-1")
    everything = (await _get(gateway, HISTORY_EXPORT, area="TH", format="jsonl")).text
    assert sorted(json.loads(line)["area_code"] for line in everything.splitlines()) == [
        "100101", "340101", "340101"]
    exports = await rows_of(gateway, "SELECT subject FROM audit_record "
                                     "WHERE operation = 'exportObservationHistory'")
    assert [e["subject"] for e in exports] == ["governor-34", "governor-34", "auditor-1"]


async def test_a_hundred_thousand_records_stream_in_bounded_memory(gateway: Gateway) -> None:
    total = 100_000
    at = datetime(2026, 11, 15, tzinfo=UTC)
    records = [{"at": at, "subject": f"user-{i % 50}", "roles": ["governor"],
                "credential_id": None, "operation": "Record", "query_hash": "0" * 64,
                "variables": {"input": [{"areaCode": "340101", "value": i}]},
                "changes": [{"area_code": "340101", "old": None, "new": i}],
                "personal_fields": []} for i in range(total)]
    async with gateway.services.database.engine.begin() as conn:
        for start in range(0, total, 10_000):
            await conn.execute(insert(AuditRecord.__table__),  # type: ignore[attr-defined]
                               records[start:start + 10_000])
    del records

    lines = 0
    size = 0
    early_peak = 0
    tracemalloc.start()
    try:
        body = encode(audit_batches(gateway.services.database, AuditFilter(),
                                    lambda _row: True), _audit_line, AUDIT_COLUMNS, Format.JSONL)
        async for chunk in body:
            lines += chunk.count(b"\n")
            size += len(chunk)
            if early_peak == 0 and lines >= total // 5:
                early_peak = tracemalloc.get_traced_memory()[1]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == total
    # The whole file is tens of megabytes; the export holds one batch of it at a time, so
    # the last 80,000 records cost no more memory than the first 20,000 did.
    assert size > 15_000_000
    assert peak < size / 4, (peak, size)
    assert peak < early_peak * 1.25, (peak, early_peak)
