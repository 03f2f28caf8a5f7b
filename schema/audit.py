"""The audit trail, for auditors and administrators. Read-only: no mutation touches it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from areagraph.resolvers import audit as resolve
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.schema.common import Connection, connection, decode_cursor


@strawberry.type(description="One audit record: a write, or an unmasked read of personal data.")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    subject: str
    roles: list[str]
    credential_id: str | None
    operation: str
    query_hash: str = strawberry.field(description="SHA-256 of the GraphQL document as printed, "
                                                   "personal data written inline replaced.")
    variables: JSON = strawberry.field(description="Variables, secrets and personal data redacted "
                                                   "by the argument or input field they feed.")
    changes: JSON = strawberry.field(description="What was written: table, key, before, after.")
    personal_fields: list[str] = strawberry.field(description="ticket:field read unmasked.")

    @classmethod
    def from_row(cls, row: Any) -> AuditEntry:
        return cls(id=strawberry.ID(str(row["id"])), at=row["at"], subject=row["subject"],
                   roles=list(row["roles"]), credential_id=row["credential_id"],
                   operation=row["operation"], query_hash=row["query_hash"],
                   variables=row["variables"], changes=row["changes"],
                   personal_fields=list(row["personal_fields"]))


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The audit trail, newest first (auditors and admins only).")
    async def audit_log(
        self,
        info: Info,
        subject: str | None = None,
        operation: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        personal_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        before_id = inputs.key(decode_cursor("audit", after), "cursor for the audit log",
                               "after")
        page, total = await resolve.records(
            info, subject=subject, operation=operation, since=since, until=until,
            personal_only=personal_only, first=first, before_id=before_id)
        nodes = [AuditEntry.from_row(r) for r in page.rows]
        return connection(nodes, [n.id for n in nodes], "audit", page.has_next,
                          page.has_previous, total)
