"""What the indicator and agency fields do."""

from __future__ import annotations

import re

from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.connectors.local.figures.catalog import AgencyRow as AgencyRow  # for schema
from areagraph.connectors.local.figures.catalog import CategoryRow as CategoryRow
from areagraph.connectors.local.figures.catalog import IndicatorRow as IndicatorRow
from areagraph.core.errors import BadUserInput
from areagraph.resolvers.context import Info

_SDG_GOAL = re.compile(r"^[0-9]{1,2}(\.[0-9a-z]{1,2}){0,2}$")


async def indicators(info: Info, *, topic: str | None, dimension: str | None,
                     sdg_goal: str | None) -> list[IndicatorRow]:
    if sdg_goal is not None and not _SDG_GOAL.match(sdg_goal):
        raise BadUserInput(f"invalid SDG code {sdg_goal!r}: use a goal (6), target (6.3) "
                           "or indicator (6.3.1)", argument="sdgGoal")
    rows = await catalog_store.list_indicators(info.context.db, topic=topic, dimension=dimension,
                                               sdg_goal=sdg_goal)
    for row in rows:
        info.context.loaders.indicator.prime(row["code"], row)
    return rows


async def indicator(info: Info, code: str) -> IndicatorRow | None:
    return await info.context.loaders.indicator.load(code.strip().upper())


async def agency(info: Info, code: str | None) -> AgencyRow | None:
    return None if code is None else await info.context.loaders.agency.load(code)


async def owning_agency(info: Info, code: str) -> AgencyRow:
    """The agency a row names by foreign key, so one that exists."""
    row = await info.context.loaders.agency.load(code)
    if row is None:
        raise LookupError(f"no agency {code!r}")
    return row


async def agencies(info: Info) -> list[AgencyRow]:
    return await catalog_store.list_agencies(info.context.db)
