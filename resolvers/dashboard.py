"""What the dashboard does: an area's situation for a fiscal year in one request.

Every part is fetched as one batch: key indicators through the roll-up loader (one grouped
statement per indicator and level), children's figures likewise, and one statement each for
targets, complaints, projects and alerts, so the statement count does not grow with the tree.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from areagraph.auth.policy import Capability, can_read_figures, reaches, require_figures
from areagraph.connectors.local import dashboard as store
from areagraph.connectors.local.areas import AreaRow
from areagraph.connectors.local.dashboard import ProjectSummary
from areagraph.connectors.local.figures import targets
from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.core.area_codes import ancestors_of
from areagraph.core.errors import Forbidden
from areagraph.resolvers import alerts, inputs
from areagraph.resolvers.complaints.workflow import Statistics, statistics
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures.rollups import Performance, performances
from areagraph.resolvers.scope import scoped_grants

MAX_KEY_INDICATORS = 12
MAX_ALERTS = 50


@dataclass(frozen=True)
class RankedChild:
    rank: int
    area: AreaRow
    performance: Performance


@dataclass(frozen=True)
class Dashboard:
    area: AreaRow
    fiscal_year: int
    indicators: list[Performance]
    complaints: Statistics | None
    projects: ProjectSummary | None
    alerts: list[Any]
    ranking_indicator: str | None
    children: list[RankedChild]


async def _key_indicators(info: Info, area_code: str, fiscal_year: int,
                          requested: list[str] | None) -> list[IndicatorRow]:
    """The requested indicators; else those planned (with a target) for the area, or for the
    nearest area above it that has targets, so a district reads against its province's plan."""
    if requested:
        codes = [c.strip().upper() for c in requested]
    else:
        lineage = [area_code, *reversed(ancestors_of(area_code))]
        planned = await targets.indicator_codes_with_targets(info.context.db, lineage,
                                                             fiscal_year)
        codes = next((planned[a] for a in lineage if planned.get(a)), [])
    codes = list(dict.fromkeys(codes))[:MAX_KEY_INDICATORS]
    found = await info.context.loaders.indicator.load_many(codes)
    principal = info.context.principal
    assert principal is not None
    return [row for row in found
            if row is not None and can_read_figures(principal, area_code, row["topic"])]


async def _visible_children(info: Info, area_code: str,
                            indicator: IndicatorRow | None) -> list[AreaRow]:
    if indicator is None:
        return []
    principal = info.context.principal
    assert principal is not None
    return [c for c in await info.context.loaders.children.load(area_code)
            if can_read_figures(principal, c["code"], indicator["topic"])]


def _ranked(children: list[AreaRow], found: list[list[Performance]]) -> list[RankedChild]:
    scored = [(perf[0].achievement, child, perf[0]) for child, perf in
              zip(children, found, strict=True)]
    scored.sort(key=lambda s: (s[0] is None, -(s[0] or 0.0), s[1]["code"]))
    return [RankedChild(n + 1, child, perf) for n, (_, child, perf) in enumerate(scored)]


def _may(info: Info, capability: Capability) -> bool:
    principal = info.context.principal
    return principal is not None and bool(reaches(principal, capability))


async def dashboard(info: Info, area_code: str, fiscal_year: int,
                    indicator_codes: list[str] | None,
                    rank_indicator_code: str | None) -> Dashboard | None:
    code = inputs.area_code(area_code, "areaCode")
    year = inputs.fiscal_year(fiscal_year)
    assert year is not None
    require_figures(info.context.principal, code)
    area = await info.context.loaders.area.load(code)
    if area is None:
        return None
    keys = await _key_indicators(info, code, year, indicator_codes)
    rank_code = (rank_indicator_code or (keys[0]["code"] if keys else "")).strip().upper()
    rank_indicator = await info.context.loaders.indicator.load(rank_code) if rank_code else None

    children = await _visible_children(info, code, rank_indicator)
    async def complaint_part() -> Statistics | None:
        if not _may(info, Capability.COMPLAINTS):
            return None
        try:
            return await statistics(info, code, year)
        except Forbidden:
            return None

    async def project_part() -> ProjectSummary | None:
        if not _may(info, Capability.PROJECTS):
            return None
        try:
            grants = scoped_grants(info, Capability.PROJECTS, code)
        except Forbidden:
            return None
        return await store.project_summary(info.context.db, grants, year)

    async def alert_part() -> list[Any]:
        if not _may(info, Capability.EVENTS):
            return []
        try:
            return await alerts.active_alerts(info, code, MAX_ALERTS)
        except Forbidden:
            return []

    # Started together, the area's and the children's figures land in the same loader batch
    # (there are children only when there is a rank indicator).
    ranked_by = [] if rank_indicator is None else [rank_indicator]
    (figures, complaint_stats, project_stats, active), per_child = await asyncio.gather(
        asyncio.gather(performances(info, code, keys, year), complaint_part(), project_part(),
                       alert_part()),
        asyncio.gather(*(performances(info, c["code"], ranked_by, year) for c in children)))
    return Dashboard(area, year, figures, complaint_stats, project_stats, active,
                     None if rank_indicator is None else rank_indicator["code"],
                     _ranked(children, per_child))
