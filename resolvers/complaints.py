"""What the complaint fields do."""

from __future__ import annotations

from typing import Any

from api.errors import BadUserInput
from connectors.local import complaints as store
from connectors.local.clock import utcnow
from connectors.local.complaints import ComplaintFilter
from connectors.local.paging import Page
from resolvers import inputs
from resolvers.context import Info

OPEN_STATUSES = frozenset({"received", "accepted", "assigned", "in_progress", "referred"})


def complaint_filter(*, area_code: str | None, agency_code: str | None, status: str | None,
                     category: str | None, fiscal_year: int | None) -> ComplaintFilter:
    return ComplaintFilter(
        area_codes=[inputs.area_code(area_code, "areaCode")] if area_code else [],
        agency_code=agency_code,
        status=status,
        category=category,
        fiscal_year=inputs.fiscal_year(fiscal_year),
    )


def complaint_cursor(key: str | None) -> int | None:
    if key is None:
        return None
    if not key.isdigit():
        raise BadUserInput("invalid cursor for complaints", argument="after")
    return int(key)


async def complaints(info: Info, f: ComplaintFilter, first: int | None,
                     after: int | None) -> tuple[Page[Any], Any]:
    ctx = info.context
    size = inputs.page_size(first, ctx.services.settings.max_page_size)
    page = await store.list_complaints(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_complaints(ctx.db, f)

    return page, total


def is_overdue(row: Any) -> bool:
    return row["status"] in OPEN_STATUSES and row["due_at"] < utcnow()


async def history(info: Info, complaint_id: int) -> list[Any]:
    return await info.context.loaders.transitions.load(complaint_id)
