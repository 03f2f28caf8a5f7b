"""Reads of the audit trail, newest first. There is no update or delete here by design."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlalchemy import Select, func, select

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import AuditRecord
from areagraph.connectors.local.paging import Page, count

_AUDIT = AuditRecord.__table__  # type: ignore[attr-defined]


class AuditRow(TypedDict):
    """A row of the `audit_record` table."""

    id: int
    at: datetime
    subject: str
    roles: list[str]
    credential_id: str | None
    operation: str
    query_hash: str
    variables: dict[str, Any]
    changes: list[dict[str, Any]]
    personal_fields: list[str]


@dataclass(frozen=True)
class AuditFilter:
    subject: str | None = None
    operation: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    personal_only: bool = False


def filtered(f: AuditFilter) -> Select[Any]:
    statement = select(_AUDIT)
    if f.subject is not None:
        statement = statement.where(_AUDIT.c.subject == f.subject)
    if f.operation is not None:
        statement = statement.where(_AUDIT.c.operation == f.operation)
    if f.since is not None:
        statement = statement.where(_AUDIT.c.at >= f.since)
    if f.until is not None:
        statement = statement.where(_AUDIT.c.at < f.until)
    if f.personal_only:  # in SQL, so pages are full and totalCount counts the same rows
        statement = statement.where(func.json_array_length(_AUDIT.c.personal_fields) > 0)
    return statement


async def list_records(db: Database, f: AuditFilter, first: int,
                       before_id: int | None) -> Page[AuditRow]:
    statement = filtered(f)
    if before_id is not None:
        statement = statement.where(_AUDIT.c.id < before_id)
    async with db.engine.connect() as conn:
        rows = cast(list[AuditRow], list((await conn.execute(
            statement.order_by(_AUDIT.c.id.desc()).limit(first + 1))).mappings()))
    return Page(rows=rows[:first], has_next=len(rows) > first,
                has_previous=before_id is not None)


async def count_records(db: Database, f: AuditFilter) -> int:
    async with db.engine.connect() as conn:
        return await count(conn, filtered(f))
