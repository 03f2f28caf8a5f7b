"""The audit trail and figure revisions as files for the audit office: CSV (UTF-8 with BOM, as
Excel reads Thai) or JSON Lines, streamed batch by batch so a year's trail never sits in memory.
Each export is itself an audit record, written before the first byte leaves."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPBearer

from areagraph.api.rest.operations import ContextGetter
from areagraph.api.rest.routes import ERROR_RESPONSES
from areagraph.api.services import GatewayContext
from areagraph.auth import audit
from areagraph.auth.policy import Capability, can_read_figures, require, require_figures
from areagraph.auth.principal import Principal
from areagraph.connectors.local.audit_log import AuditFilter
from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.connectors.local.trail_reads import (
    RevisionFilter,
    Row,
    audit_batches,
    revision_batches,
)
from areagraph.core.area_codes import AREA_CODE_PATTERN
from areagraph.core.clock import BANGKOK
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import PeriodError, parse_period, utc_bounds

AUDIT_COLUMNS = ("id", "at", "at_bangkok", "subject", "roles", "credential_id", "operation",
                 "query_hash", "variables", "changes", "personal_fields")
REVISION_COLUMNS = ("id", "indicator_code", "area_code", "period", "value", "revision",
                    "is_current", "source", "recorded_by", "recorded_at", "recorded_at_bangkok")
_AREA_KEYS = frozenset({"area", "area_code", "areaCode", "areaCodes", "area_codes"})


_EXPORT_FILTERS = frozenset({"format", "period", "caller", "operation", "area", "indicator"})


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


_MEDIA = {Format.CSV: "text/csv; charset=utf-8", Format.JSONL: "application/x-ndjson"}
_TEXT = {"schema": {"type": "string"}}
_FILE: dict[int | str, dict[str, Any]] = {200: {
    "content": {"text/csv": _TEXT, "application/x-ndjson": _TEXT},
    "description": "CSV (UTF-8 with BOM) or JSON Lines, one record a line."}}

Period = Annotated[str | None, Query(max_length=16, description=(
    "Only records of this period (Bangkok days): 2026-12, 2026-Q4, 2026, FY2026, FY2026-Q1."))]
Area = Annotated[str | None, Query(pattern=AREA_CODE_PATTERN, description=(
    "Only records about this DOPA area or an area under it."))]
Caller = Annotated[str | None, Query(max_length=200, description="Only this caller's records.")]
FormatQuery = Annotated[Format, Query(description="csv (UTF-8 with BOM) or jsonl.")]


def _bounds(period: str | None) -> tuple[datetime | None, datetime | None]:
    if period is None:
        return None, None
    try:
        return utc_bounds(parse_period(period))
    except PeriodError as error:
        raise BadUserInput(str(error), argument="period") from None


def _mentions_area(value: Any, code: str, key: str = "") -> bool:
    """Does an audit record's variables or changes name this area or one under it?"""
    if isinstance(value, Mapping):
        return any(_mentions_area(v, code, str(k)) for k, v in value.items())
    if isinstance(value, list):
        return any(_mentions_area(v, code, key) for v in value)
    return key in _AREA_KEYS and isinstance(value, str) and value.startswith(code)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return value


def _local(at: datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(BANGKOK).isoformat()


def _audit_line(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "at": row["at"], "at_bangkok": _local(row["at"]),
            "subject": row["subject"], "roles": row["roles"],
            "credential_id": row["credential_id"], "operation": row["operation"],
            "query_hash": row["query_hash"], "variables": row["variables"],
            "changes": row["changes"], "personal_fields": row["personal_fields"]}


def _revision_line(row: Row) -> dict[str, Any]:
    return {**{c: row[c] for c in REVISION_COLUMNS if c in row},
            "recorded_at_bangkok": _local(row["recorded_at"])}


async def encode(batches: AsyncIterator[Sequence[Row]], line: Callable[[Row], dict[str, Any]],
                 columns: Iterable[str], fmt: Format) -> AsyncIterator[bytes]:
    """One chunk per batch: CSV with a BOM and a header row, or one JSON object per line."""
    if fmt is Format.CSV:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(columns))
        out.write("\ufeff")
        writer.writeheader()
        yield out.getvalue().encode()
        async for batch in batches:
            out.seek(0)
            out.truncate()
            writer.writerows({k: _cell(v) for k, v in line(r).items()} for r in batch)
            yield out.getvalue().encode()
        return
    async for batch in batches:
        yield b"".join(orjson.dumps(line(r), option=orjson.OPT_APPEND_NEWLINE,
                                    default=str) for r in batch)


async def _record_export(context: GatewayContext, principal: Principal, request: Request,
                         operation: str) -> None:
    services = context.services
    if services.rate_limiter is not None:
        await services.rate_limiter.charge(principal, request.client.host
                                           if request.client else None)
    async with context.db.unit_of_work() as session:
        # Only the export's own filters are kept: whatever else a client adds to the URL
        # could be anything, personal data included.
        audit.record(session, principal, operation=operation,
                     query=f"GET {request.url.path}",
                     variables={k: v for k, v in request.query_params.items()
                                if k in _EXPORT_FILTERS})


def _download(body: AsyncIterator[bytes], fmt: Format, name: str) -> StreamingResponse:
    return StreamingResponse(body, media_type=_MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'})


def trail_export_router(context_getter: ContextGetter) -> APIRouter:
    router = APIRouter(prefix="/api/v1/exports", tags=["audit exports"],
                       dependencies=[Depends(HTTPBearer(auto_error=False))],
                       responses=ERROR_RESPONSES)

    @router.get("/audit-log", summary="The audit trail as a file (auditors and admins)",
                response_class=StreamingResponse, responses=_FILE)
    async def export_audit_log(
        request: Request, format: FormatQuery = Format.CSV, period: Period = None,
        caller: Caller = None,
        operation: Annotated[str | None, Query(max_length=200)] = None,
        area: Area = None, context: GatewayContext = Depends(context_getter),
    ) -> StreamingResponse:
        principal = require(context.principal, Capability.AUDIT_LOG)
        since, until = _bounds(period)
        f = AuditFilter(subject=caller, operation=operation, since=since, until=until)
        code = None if area in (None, "TH") else area

        def keep(row: Row) -> bool:
            return code is None or _mentions_area([row["variables"], row["changes"]], code)

        await _record_export(context, principal, request, "exportAuditLog")
        body = encode(audit_batches(context.db, f, keep), _audit_line, AUDIT_COLUMNS, format)
        return _download(body, format, "audit-log")

    @router.get("/observation-history",
                summary="Every revision of the figures of an area and its subtree, as a file",
                response_class=StreamingResponse, responses=_FILE)
    async def export_observation_history(
        request: Request, area: Annotated[str, Query(pattern=AREA_CODE_PATTERN)],
        format: FormatQuery = Format.CSV, period: Period = None, caller: Caller = None,
        indicator: Annotated[str | None, Query(max_length=64)] = None,
        context: GatewayContext = Depends(context_getter),
    ) -> StreamingResponse:
        principal = require_figures(context.principal, area)
        since, until = _bounds(period)
        f = RevisionFilter(since=since, until=until, recorded_by=caller,
                           area_code=None if area == "TH" else area,
                           indicator_code=indicator.strip().upper() if indicator else None)
        topics = await _indicator_topics(context)

        def keep(row: Row) -> bool:
            return can_read_figures(principal, row["area_code"],
                                    topics.get(row["indicator_code"]))

        await _record_export(context, principal, request, "exportObservationHistory")
        body = encode(revision_batches(context.db, f, keep), _revision_line, REVISION_COLUMNS,
                      format)
        return _download(body, format, f"observation-history-{area}")

    return router


async def _indicator_topics(context: GatewayContext) -> dict[str, str]:
    rows = await catalog_store.list_indicators(context.db, topic=None, dimension=None,
                                               sdg_goal=None)
    return {r["code"]: r["topic"] for r in rows}
