"""What the project fields do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from areagraph.auth.policy import Capability
from areagraph.connectors.local.areas import AreaRow
from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.connectors.local.paging import Page
from areagraph.connectors.local.projects import reads as store
from areagraph.connectors.local.projects.reads import MilestoneRow as MilestoneRow  # for schema
from areagraph.connectors.local.projects.reads import ProjectFilter
from areagraph.connectors.local.projects.reads import ProjectRow as ProjectRow
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants


def project_filter(info: Info, *, area_code: str | None, agency_code: str | None,
                   status: str | None, fiscal_year: int | None) -> ProjectFilter:
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    return ProjectFilter(
        grants=scoped_grants(info, Capability.PROJECTS, area),
        agency_code=agency_code,
        status=status,
        fiscal_year=inputs.fiscal_year(fiscal_year),
    )


async def projects(info: Info, f: ProjectFilter, first: int | None,
                   after: str | None) -> tuple[Page[ProjectRow], Callable[[], Awaitable[int]]]:
    ctx = info.context
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await store.list_projects(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_projects(ctx.db, f)

    return page, total


async def project_areas(info: Info, code: str) -> list[AreaRow]:
    links = await info.context.loaders.project_areas.load(code)
    found = await info.context.loaders.area.load_many([link["area_code"] for link in links])
    return [a for a in found if a is not None]


async def project_indicators(info: Info, code: str) -> list[IndicatorRow]:
    links = await info.context.loaders.project_indicators.load(code)
    found = await info.context.loaders.indicator.load_many([x["indicator_code"] for x in links])
    return [i for i in found if i is not None]


async def milestones(info: Info, code: str) -> list[MilestoneRow]:
    return await info.context.loaders.milestones.load(code)
