"""The audit trail: reading it, and recording unmasked reads of personal data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from strawberry.extensions import SchemaExtension

from areagraph.auth import audit
from areagraph.connectors.local import audit_log
from areagraph.connectors.local.audit_log import AuditFilter
from areagraph.connectors.local.audit_log import AuditRow as AuditRow  # for schema
from areagraph.connectors.local.paging import Page
from areagraph.resolvers import inputs
from areagraph.resolvers.audit_redaction import redact
from areagraph.resolvers.context import Context, Info


async def records(info: Info, *, subject: str | None, operation: str | None,
                  since: datetime | None, until: datetime | None, personal_only: bool,
                  first: int | None, before_id: int | None
                  ) -> tuple[Page[AuditRow], Callable[[], Awaitable[int]]]:
    """A page of the audit trail, newest first, with those filters, and a function counting
    every record they match."""
    ctx = info.context
    f = AuditFilter(subject=subject, operation=operation, since=since, until=until,
                    personal_only=personal_only)
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await audit_log.list_records(ctx.db, f, size, before_id)

    async def total() -> int:
        return await audit_log.count_records(ctx.db, f)

    return page, total


class AuditPersonalReads(SchemaExtension):
    """After an operation, writes one audit record listing the personal fields read unmasked."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        ctx = self.execution_context.context
        if not isinstance(ctx, Context) or not ctx.personal_reads or ctx.principal is None:
            return
        execution = self.execution_context
        document = execution.graphql_document
        kept = redact(execution.schema._schema,
                      document.definitions if document is not None else (),
                      execution.variables)
        async with ctx.db.unit_of_work() as session:
            audit.record(
                session, ctx.principal,
                operation=execution.operation_name or "anonymous",
                query=kept.document, variables=kept.variables,
                personal_fields=sorted(set(ctx.personal_reads)),
            )
