"""What the alert fields do: rules on indicators, and the alerts they raised and cleared."""

from __future__ import annotations

from typing import Any

from areagraph.auth.policy import Capability
from areagraph.connectors.local import alerts as store
from areagraph.connectors.local.alerts import AlertFilter
from areagraph.connectors.local.paging import Page
from areagraph.domain.alerts import management
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants
from areagraph.resolvers.write_audit import audit_of


async def create_rule(info: Info, *, name: str, indicator_code: str, area_code: str,
                      comparator: str, threshold: float, severity: str) -> Any:
    ctx = info.context
    return await management.create_rule(
        ctx.db, ctx.principal, indicators=ctx.loaders.indicator, areas=ctx.loaders.area,
        audit=audit_of(info), name=name, indicator_code=indicator_code, area_code=area_code,
        comparator=comparator, threshold=threshold, severity=severity)


def _filter(info: Info, area_code: str | None, status: str | None,
            indicator_code: str | None = None) -> AlertFilter:
    grants = scoped_grants(info, Capability.EVENTS, area_code)
    return AlertFilter(scopes=management.alert_scopes(grants), status=status,
                       indicator_code=indicator_code.strip().upper() if indicator_code else None)


async def alerts(info: Info, area_code: str | None, status: str | None,
                 indicator_code: str | None, first: int | None,
                 after: int | None) -> tuple[Page[Any], Any]:
    ctx = info.context
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    f = _filter(info, area, status, indicator_code)
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await store.list_alerts(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_alerts(ctx.db, f)

    return page, total


async def active_alerts(info: Info, area_code: str, limit: int) -> list[Any]:
    """The active alerts in an area's subtree that the caller may see (for the dashboard)."""
    f = _filter(info, area_code, store.ACTIVE)
    return (await store.list_alerts(info.context.db, f, limit, None)).rows


async def rules(info: Info, area_code: str | None, indicator_code: str | None) -> list[Any]:
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    grants = scoped_grants(info, Capability.EVENTS, area)
    return await management.visible_rules(
        info.context.db, grants, indicator_code.strip().upper() if indicator_code else None)
