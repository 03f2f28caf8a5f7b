"""What the alert fields do: rules on indicators, and the alerts they raised and cleared."""

from __future__ import annotations

from typing import Any

from areagraph.auth.policy import Capability, can_write, require
from areagraph.connectors.local import alerts as store
from areagraph.connectors.local.alerts import AlertFilter
from areagraph.connectors.local.paging import Page
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.errors import BadUserInput, Forbidden
from areagraph.domain.alerts.rules import COMPARATORS, threshold_problem
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants
from areagraph.resolvers.write_audit import record_write

SEVERITIES = ("info", "warning", "critical")


async def create_rule(info: Info, *, name: str, indicator_code: str, area_code: str,
                      comparator: str, threshold: float, severity: str) -> Any:
    principal = require(info.context.principal, Capability.MANAGE_ALERTS)
    area = inputs.area_code(area_code, "areaCode")
    indicator = await info.context.loaders.indicator.load(indicator_code.strip().upper())
    if indicator is None:
        raise BadUserInput(f"unknown indicator {indicator_code!r}", argument="indicatorCode")
    if await info.context.loaders.area.load(area) is None:
        raise BadUserInput(f"unknown area {area}", argument="areaCode")
    if comparator not in COMPARATORS or severity not in SEVERITIES:
        raise BadUserInput("unknown comparator or severity", argument="comparator")
    if not 1 <= len(name.strip()) <= 200:
        raise BadUserInput("a rule's name has 1 to 200 characters", argument="name")
    if (problem := threshold_problem(indicator["unit"], threshold)) is not None:
        raise BadUserInput(problem, argument="threshold")
    if not can_write(principal, Capability.MANAGE_ALERTS, area):
        raise Forbidden(f"you may not set alert rules for area {area}", argument="areaCode")
    async with locked_unit_of_work(info.context.db, []) as session:
        rule = store.add_rule(session, name=name.strip(), indicator_code=indicator["code"],
                              area_code=area, comparator=comparator, threshold=threshold,
                              severity=severity)
        await session.flush()
        record_write(session, info, principal, [{
            "table": "alert_rule", "key": str(rule.id), "before": None,
            "after": {"indicator": indicator["code"], "area": area, "comparator": comparator,
                      "threshold": threshold, "severity": severity}}])
        return rule.model_dump()


async def alerts(info: Info, area_code: str | None, status: str | None,
                 indicator_code: str | None, first: int | None,
                 after: int | None) -> tuple[Page[Any], Any]:
    ctx = info.context
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    f = AlertFilter(grants=scoped_grants(info, Capability.EVENTS, area), status=status,
                    indicator_code=indicator_code.strip().upper() if indicator_code else None)
    size = inputs.page_size(first, ctx.settings.max_page_size)
    page = await store.list_alerts(ctx.db, f, size, after)

    async def total() -> int:
        return await store.count_alerts(ctx.db, f)

    return page, total


async def active_alerts(info: Info, area_code: str, limit: int) -> list[Any]:
    """The active alerts in an area's subtree that the caller may see (for the dashboard)."""
    f = AlertFilter(grants=scoped_grants(info, Capability.EVENTS, area_code), status=store.ACTIVE)
    return (await store.list_alerts(info.context.db, f, limit, None)).rows


async def rules(info: Info, area_code: str | None, indicator_code: str | None) -> list[Any]:
    area = inputs.area_code(area_code, "areaCode") if area_code else None
    grants = scoped_grants(info, Capability.EVENTS, area)
    return await store.list_rules(info.context.db, grants,
                                  indicator_code.strip().upper() if indicator_code else None)
