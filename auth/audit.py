"""The audit trail: append-only records of writes and of unmasked reads of personal data."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.principal import Principal
from areagraph.connectors.local.models import AuditRecord


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def record(session: AsyncSession, principal: Principal, *, operation: str, query: str,
           variables: Mapping[str, Any] | None = None,
           changes: list[dict[str, Any]] | None = None,
           personal_fields: list[str] | None = None) -> AuditRecord:
    """Add an audit record to the caller's transaction (so a write and its record go together).

    `query` and `variables` come already redacted (resolvers/audit_redaction.py): what is
    personal is known from the document and the schema, which this layer does not see.
    """
    entry = AuditRecord(
        subject=principal.subject,
        roles=principal.role_names,
        credential_id=principal.credential_id,
        operation=operation,
        query_hash=query_hash(query),
        variables=dict(variables or {}),
        changes=changes or [],
        personal_fields=personal_fields or [],
    )
    session.add(entry)
    return entry
