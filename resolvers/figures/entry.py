"""What the data-entry fields do: record figures, read their revisions, set and read targets.

The flows are in `domain.figures`; these pass them the request's caller, loaders and audit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from areagraph.domain.figures import entry, targets
from areagraph.domain.figures.entry import FigureInput, RecordResult
from areagraph.domain.figures.targets import TargetInput
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.write_audit import audit_of


async def record_observations(info: Info, rows: Sequence[FigureInput],
                              idempotency_key: str | None) -> RecordResult:
    ctx = info.context
    return await entry.record_observations(
        ctx.db, ctx.principal, rows, idempotency_key, indicators=ctx.loaders.indicator,
        areas=ctx.loaders.area, audit=audit_of(info))


async def observation_history(info: Info, indicator_code: str, area_code: str,
                              period: str) -> list[Any]:
    ctx = info.context
    area = inputs.area_code(area_code, "areaCode")
    return await entry.observation_history(ctx.db, ctx.principal, ctx.loaders.indicator,
                                           indicator_code, area, period)


async def set_targets(info: Info, rows: Sequence[TargetInput]) -> list[Any]:
    ctx = info.context
    return await targets.set_targets(ctx.db, ctx.principal, rows,
                                     indicators=ctx.loaders.indicator, areas=ctx.loaders.area,
                                     audit=audit_of(info))


async def list_targets(info: Info, area_code: str, fiscal_year: int | None,
                       indicator_code: str | None) -> list[Any]:
    return await targets.list_targets(info.context.db, info.context.principal,
                                      inputs.area_code(area_code, "areaCode"), fiscal_year,
                                      indicator_code)
