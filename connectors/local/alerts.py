"""Alert rules and alerts in the store: the queries and writes the alert flows use.

Which alerts a caller may see arrives as plain area scopes; how figures raise and clear alerts
is `domain.alerts.evaluation`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Alert, AlertRule, Complaint
from areagraph.connectors.local.paging import Page, count, fetch_page, subtree

_ALERT = Alert.__table__  # type: ignore[attr-defined]
_RULE = AlertRule.__table__  # type: ignore[attr-defined]
_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
ACTIVE = "active"
CLEARED = "cleared"


async def rules_on(session: AsyncSession, indicator_codes: Sequence[str]) -> list[AlertRule]:
    """The rules on any of the indicators."""
    return list((await session.execute(
        select(AlertRule).where(_RULE.c.indicator_code.in_(list(indicator_codes)))
    )).scalars())


async def has_rules_on(session: AsyncSession, indicator_code: str) -> bool:
    return (await session.execute(
        select(_RULE.c.id).where(_RULE.c.indicator_code == indicator_code).limit(1)
    )).first() is not None


async def active_alerts(session: AsyncSession, rule_ids: Sequence[int],
                        area_codes: Sequence[str]) -> dict[tuple[int, str], Alert]:
    """The active alert of each (rule, area) among these, to update or clear."""
    return {
        (a.rule_id, a.area_code): a
        for a in (await session.execute(select(Alert).where(
            _ALERT.c.rule_id.in_(list(rule_ids)), _ALERT.c.area_code.in_(list(area_codes)),
            _ALERT.c.status == ACTIVE))).scalars()
    }


def raise_alert(session: AsyncSession, rule_id: int, area_code: str, period: str,
                value: float) -> Alert:
    alert = Alert(rule_id=rule_id, area_code=area_code, period=period, value=value,
                  status=ACTIVE)
    session.add(alert)
    return alert


def move_alert(alert: Alert, period: str, value: float) -> None:
    """An active alert now stands on a newer breaching figure."""
    alert.period, alert.value = period, value


def clear_alert(alert: Alert, at: datetime) -> None:
    alert.status, alert.cleared_at = CLEARED, at


async def overdue_complaint_areas(session: AsyncSession, open_statuses: Collection[str],
                                  now: datetime, under: str | None = None) -> list[str]:
    """The area code of each complaint in one of `open_statuses` past its due time (under
    the area `under`, when given), counting changes not yet flushed in the session."""
    await session.flush()
    statement = select(_COMPLAINT.c.area_code).where(
        _COMPLAINT.c.status.in_(sorted(open_statuses)), _COMPLAINT.c.due_at < now)
    if under is not None:
        statement = statement.where(_COMPLAINT.c.area_code.like(f"{under}%"))
    return list((await session.execute(statement)).scalars())


@dataclass(frozen=True)
class AlertFilter:
    """`scopes`: the area subtrees the caller may see alerts in, one per grant (None: all
    areas); no scope at all shows nothing."""

    scopes: Sequence[Sequence[str] | None] = ()
    status: str | None = None
    indicator_code: str | None = None


def _visible(scopes: Sequence[Sequence[str] | None]) -> ColumnElement[bool]:
    if not scopes:
        return false()
    return or_(*(true() if s is None else subtree(_ALERT.c.area_code, s) for s in scopes))


def _alerts(f: AlertFilter) -> Select[Any]:
    statement = (select(_ALERT, _RULE.c.name, _RULE.c.indicator_code, _RULE.c.severity,
                        _RULE.c.comparator, _RULE.c.threshold)
                 .join(_RULE, _RULE.c.id == _ALERT.c.rule_id)
                 .where(_visible(f.scopes)))
    if f.status is not None:
        statement = statement.where(_ALERT.c.status == f.status)
    if f.indicator_code is not None:
        statement = statement.where(_RULE.c.indicator_code == f.indicator_code)
    return statement


async def list_alerts(db: Database, f: AlertFilter, first: int, after: int | None) -> Page[Any]:
    async with db.engine.connect() as conn:
        return await fetch_page(conn, _alerts(f), _ALERT.c.id, first, after)


async def count_alerts(db: Database, f: AlertFilter) -> int:
    async with db.engine.connect() as conn:
        return await count(conn, _alerts(f))


async def list_rules(db: Database, indicator_code: str | None) -> list[Any]:
    """Every rule (on one indicator, when given), in the order they were set."""
    statement = select(_RULE).order_by(_RULE.c.id)
    if indicator_code is not None:
        statement = statement.where(_RULE.c.indicator_code == indicator_code)
    async with db.engine.connect() as conn:
        return list((await conn.execute(statement)).mappings())


def add_rule(session: AsyncSession, *, name: str, indicator_code: str, area_code: str,
             comparator: str, threshold: float, severity: str) -> AlertRule:
    rule = AlertRule(name=name, indicator_code=indicator_code, area_code=area_code,
                     comparator=comparator, threshold=threshold, severity=severity)
    session.add(rule)
    return rule
