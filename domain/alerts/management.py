"""Setting alert rules, and which rules and alerts a caller may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from areagraph.auth.policy import Capability, Grant, can_write, require, within
from areagraph.auth.principal import Principal
from areagraph.connectors.local import alerts as store
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.area_codes import parse_area_code
from areagraph.core.errors import BadUserInput, Forbidden
from areagraph.core.validation import InvalidInput
from areagraph.domain.alerts.rules import COMPARATORS, SEVERITIES, threshold_problem
from areagraph.domain.ports import AuditRecorder, Lookup


async def create_rule(db: Database, principal: Principal | None, *, indicators: Lookup,
                      areas: Lookup, audit: AuditRecorder, name: str, indicator_code: str,
                      area_code: str, comparator: str, threshold: float,
                      severity: str) -> dict[str, Any]:
    """Check and save a rule for an area's subtree; returns the rule as stored."""
    caller = require(principal, Capability.MANAGE_ALERTS)
    try:
        area = parse_area_code(area_code)
    except InvalidInput as exc:
        raise BadUserInput(exc.message, argument="areaCode") from None
    indicator = await indicators.load(indicator_code.strip().upper())
    if indicator is None:
        raise BadUserInput(f"unknown indicator {indicator_code!r}", argument="indicatorCode")
    if await areas.load(area) is None:
        raise BadUserInput(f"unknown area {area}", argument="areaCode")
    if comparator not in COMPARATORS or severity not in SEVERITIES:
        raise BadUserInput("unknown comparator or severity", argument="comparator")
    if not 1 <= len(name.strip()) <= 200:
        raise BadUserInput("a rule's name has 1 to 200 characters", argument="name")
    if (problem := threshold_problem(indicator["unit"], threshold)) is not None:
        raise BadUserInput(problem, argument="threshold")
    if not can_write(caller, Capability.MANAGE_ALERTS, area):
        raise Forbidden(f"you may not set alert rules for area {area}", argument="areaCode")
    async with locked_unit_of_work(db, []) as session:
        rule = store.add_rule(session, name=name.strip(), indicator_code=indicator["code"],
                              area_code=area, comparator=comparator, threshold=threshold,
                              severity=severity)
        await session.flush()
        audit(session, caller, [{
            "table": "alert_rule", "key": str(rule.id), "before": None,
            "after": {"indicator": indicator["code"], "area": area, "comparator": comparator,
                      "threshold": threshold, "severity": severity}}])
        return rule.model_dump()


def alert_scopes(grants: Sequence[Grant]) -> list[tuple[str, ...] | None]:
    """The area subtrees the grants show alerts in (None: all areas). Alerts belong to no
    agency, so a grant limited to one agency's records shows none."""
    return [g.areas for g in grants if g.agency is None]


async def visible_rules(db: Database, grants: Sequence[Grant],
                        indicator_code: str | None) -> list[Any]:
    """Rules that apply in the caller's areas: set there, or set above and reaching down."""
    rows = await store.list_rules(db, indicator_code)
    return [r for r in rows if any(
        g.areas is None or within(r["area_code"], g.areas) or
        any(within(a, [r["area_code"]]) for a in g.areas) for g in grants)]
