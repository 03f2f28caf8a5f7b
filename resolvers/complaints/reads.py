"""What the complaint fields do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from areagraph.auth.policy import Capability, require_principal
from areagraph.connectors.local.complaints import reads as store
from areagraph.connectors.local.complaints.reads import ComplaintFilter
from areagraph.connectors.local.complaints.reads import ComplaintRow as ComplaintRow  # for schema
from areagraph.connectors.local.complaints.reads import TransitionRow as TransitionRow
from areagraph.connectors.local.paging import Page
from areagraph.core.clock import utcnow
from areagraph.core.errors import Forbidden
from areagraph.domain.complaints import stats
from areagraph.domain.complaints.complainants import (
    PERSONAL_FIELDS,
    ComplainantView,
    complainant_view,
)
from areagraph.domain.complaints.states import OPEN
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants


def complaint_filter(info: Info, *, area_code: str | None, agency_code: str | None,
                     status: str | None, category: str | None,
                     fiscal_year: int | None, open: bool | None = None,
                     received_from: datetime | None = None,
                     received_to: datetime | None = None) -> ComplaintFilter:
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    return ComplaintFilter(
        open=open, open_statuses=OPEN, received_from=_utc(received_from),
        received_to=_utc(received_to),
        grants=scoped_grants(info, Capability.COMPLAINTS, area),
        agency_code=agency_code,
        status=status,
        category=category,
        fiscal_year=inputs.fiscal_year(fiscal_year),
    )


def _utc(at: datetime | None) -> datetime | None:
    """An instant without a zone is read as UTC, as the store keeps them."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def complaint_cursor(key: str | None) -> int | None:
    return inputs.key(key, "cursor for complaints", "after")


async def complaints(info: Info, f: ComplaintFilter, first: int | None,
                     after: int | None
                     ) -> tuple[Page[ComplaintRow], Callable[[], Awaitable[int]]]:
    ctx = info.context
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await store.list_complaints(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_complaints(ctx.db, f)

    return page, total


def is_overdue(row: ComplaintRow) -> bool:
    return stats.is_overdue(row["status"], row["due_at"], utcnow())


async def history(info: Info, complaint_id: int) -> list[TransitionRow]:
    return await info.context.loaders.transitions.load(complaint_id)


def complainant(info: Info, row: ComplaintRow) -> ComplainantView:
    """The complainant as the caller may see them; unmasked reads are noted for the audit."""
    view = complainant_view(require_principal(info.context.principal), row)
    if view is None:
        raise Forbidden("your roles may not see complainants' personal data")
    if not view.masked:
        info.context.personal_reads.extend(f"{row['ticket_no']}:{f}" for f in PERSONAL_FIELDS)
    return view
