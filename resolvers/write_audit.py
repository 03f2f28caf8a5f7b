"""The audit record every write adds to its own transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth import audit
from areagraph.auth.principal import Principal
from areagraph.domain.ports import AuditRecorder
from areagraph.resolvers.audit_redaction import redact
from areagraph.resolvers.context import Info


def jsonable(value: Any) -> Any:
    """Coerced GraphQL variables (enums, input objects, dates) as plain JSON values."""
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def record_write(session: AsyncSession, info: Info, principal: Principal,
                 changes: list[dict[str, Any]]) -> None:
    """Audit the current operation (its name, query and variables) with the rows it changed."""
    operation = info.operation.name.value if info.operation.name else info.field_name
    kept = redact(info.schema._schema, [info.operation, *info._raw_info.fragments.values()],
                  jsonable(dict(info.variable_values or {})))
    audit.record(session, principal, operation=operation, query=kept.document,
                 variables=kept.variables, changes=changes)


def audit_of(info: Info) -> AuditRecorder:
    """`record_write` for the current operation, as the flows in `domain` take it."""
    return lambda session, principal, changes: record_write(session, info, principal, changes)
