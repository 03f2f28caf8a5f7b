"""What the complaint fields do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from areagraph.auth.masking import mask_digits, mask_name
from areagraph.auth.policy import Capability, PersonalData, personal_access, require_principal
from areagraph.auth.principal import Principal
from areagraph.connectors.local import complaints as store
from areagraph.connectors.local.complaints import ComplaintFilter
from areagraph.connectors.local.paging import Page
from areagraph.core.clock import utcnow
from areagraph.core.errors import Forbidden
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
        open=open, received_from=_utc(received_from), received_to=_utc(received_to),
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
                     after: int | None) -> tuple[Page[Any], Any]:
    ctx = info.context
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await store.list_complaints(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_complaints(ctx.db, f)

    return page, total


def is_overdue(row: Any) -> bool:
    return row["status"] in OPEN and row["due_at"] < utcnow()


async def history(info: Info, complaint_id: int) -> list[Any]:
    return await info.context.loaders.transitions.load(complaint_id)


@dataclass(frozen=True)
class ComplainantView:
    name: str
    phone: str
    citizen_id: str
    masked: bool


PERSONAL_FIELDS = ("name", "phone", "citizen_id")


def complainant_view(principal: Principal, row: Any) -> ComplainantView | None:
    """A complaint row's complainant as this caller may see them (None: not at all)."""
    access = personal_access(principal, row["area_code"])
    if access is PersonalData.NEVER:
        return None
    if access is PersonalData.FULL:
        return ComplainantView(row["complainant_name"], row["complainant_phone"],
                               row["complainant_citizen_id"], masked=False)
    return ComplainantView(mask_name(row["complainant_name"]),
                           mask_digits(row["complainant_phone"]),
                           mask_digits(row["complainant_citizen_id"]), masked=True)


def complainant(info: Info, row: Any) -> ComplainantView:
    """The complainant as the caller may see them; unmasked reads are noted for the audit."""
    view = complainant_view(require_principal(info.context.principal), row)
    if view is None:
        raise Forbidden("your roles may not see complainants' personal data")
    if not view.masked:
        info.context.personal_reads.extend(f"{row['ticket_no']}:{f}" for f in PERSONAL_FIELDS)
    return view
