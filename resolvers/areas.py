"""What the area fields do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from areagraph.auth.policy import require_figures
from areagraph.connectors.local import areas as store
from areagraph.connectors.local.areas import AreaRow as AreaRow  # re-exported for schema
from areagraph.connectors.local.figures.observations import ObservationRow as ObservationRow
from areagraph.connectors.local.paging import Page
from areagraph.core.area_codes import ancestors_of
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import PeriodError, parse_period
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info


async def area(info: Info, code: str) -> AreaRow | None:
    return await info.context.loaders.area.load(inputs.area_code(code))


async def areas(info: Info, *, level: str | None, parent_code: str | None, search: str | None,
                first: int | None, after: str | None
                ) -> tuple[Page[AreaRow], Callable[[], Awaitable[int]]]:
    ctx = info.context
    size = inputs.page_size(first, ctx.settings.max_page_size)
    parent = inputs.area_code(parent_code, "parentCode") if parent_code else None
    page = await store.list_areas(ctx.db, level=level, parent_code=parent, search=search,
                                  first=size, after=after)

    async def total() -> int:
        return await store.count_areas(ctx.db, level=level, parent_code=parent, search=search)

    for row in page.rows:
        ctx.loaders.area.prime(row["code"], row)
    return page, total


async def parent(info: Info, row: AreaRow) -> AreaRow | None:
    code = row["parent_code"]
    return None if code is None else await info.context.loaders.area.load(code)


async def children(info: Info, row: AreaRow) -> list[AreaRow]:
    return await info.context.loaders.children.load(row["code"])


async def ancestors(info: Info, row: AreaRow) -> list[AreaRow]:
    found = await info.context.loaders.area.load_many(ancestors_of(row["code"]))
    return [a for a in found if a is not None]


def period_start(text: str | None, argument: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_period(text).start
    except PeriodError as exc:
        raise BadUserInput(str(exc), argument=argument) from None


async def observations(info: Info, row: AreaRow, indicator_code: str, start: str | None,
                       end: str | None) -> list[ObservationRow]:
    indicator = await info.context.loaders.indicator.load(indicator_code)
    if indicator is None:
        raise BadUserInput(f"unknown indicator {indicator_code!r}", argument="indicatorCode")
    require_figures(info.context.principal, row["code"], indicator["topic"])
    key = (row["code"], indicator_code, period_start(start, "from"), period_start(end, "to"))
    return await info.context.loaders.observations.load(key)
