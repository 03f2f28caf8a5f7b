"""The audit trail: append-only records of writes and of unmasked reads of personal data."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.principal import Principal
from connectors.local.models import AuditRecord

_SECRET_OR_PERSONAL = re.compile(
    r"(secret|password|token|api_?key|authorization|complainant|name_?th|citizen|phone|"
    r"national_?id|id_?card|^name$)",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def redact(value: Any, key: str = "") -> Any:
    """Variables as they may be kept: secrets and personal data replaced, structure kept."""
    if key and _SECRET_OR_PERSONAL.search(key):
        return REDACTED
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    return value


def record(session: AsyncSession, principal: Principal, *, operation: str, query: str,
           variables: Mapping[str, Any] | None = None,
           changes: list[dict[str, Any]] | None = None,
           personal_fields: list[str] | None = None) -> AuditRecord:
    """Add an audit record to the caller's transaction (so a write and its record go together)."""
    entry = AuditRecord(
        subject=principal.subject,
        roles=principal.role_names,
        credential_id=principal.credential_id,
        operation=operation,
        query_hash=query_hash(query),
        variables=redact(dict(variables or {})),
        changes=changes or [],
        personal_fields=personal_fields or [],
    )
    session.add(entry)
    return entry
