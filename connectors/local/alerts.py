"""Alert rules and alerts: evaluated in the transaction that records the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.policy import Grant
from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Alert, AlertRule, Complaint
from areagraph.connectors.local.outbox import EventKind, enqueue
from areagraph.connectors.local.paging import Page, count, fetch_page, granted, subtree
from areagraph.core.area_codes import district_of, province_of, within
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.periods import PeriodType, parse_period
from areagraph.domain.alerts.rules import breaches
from areagraph.domain.complaints.states import OPEN
from areagraph.domain.figures.period_series import label_containing

_ALERT = Alert.__table__  # type: ignore[attr-defined]
_RULE = AlertRule.__table__  # type: ignore[attr-defined]
_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
OVERDUE_INDICATOR = "COMPLAINTS_OVERDUE"
ACTIVE = "active"
CLEARED = "cleared"


@dataclass(frozen=True)
class Reading:
    """A figure that has just arrived, as the rules see it."""

    indicator_code: str
    topic: str
    area_code: str
    period: str
    value: float


def _message(rule: AlertRule, reading: Reading, raised: bool) -> str:
    verb = "raised" if raised else "cleared"
    return (f"{rule.name}: {reading.indicator_code} {reading.value:g} in {reading.area_code} "
            f"for {reading.period} ({rule.comparator} {rule.threshold:g}) — {verb}")


async def evaluate(session: AsyncSession, readings: Sequence[Reading]) -> list[dict[str, Any]]:
    """Raise, update or clear alerts for the readings; returns the audit changes.

    One active alert per rule and area: a breach raises it (or moves it to the newer period),
    a figure back within the threshold for the same or a later period clears it.
    """
    if not readings:
        return []
    codes = sorted({r.indicator_code for r in readings})
    rules = list((await session.execute(
        select(AlertRule).where(_RULE.c.indicator_code.in_(codes))
    )).scalars())
    if not rules:
        return []
    areas = sorted({r.area_code for r in readings})
    active = {
        (a.rule_id, a.area_code): a
        for a in (await session.execute(select(Alert).where(
            _ALERT.c.rule_id.in_([r.id for r in rules]), _ALERT.c.area_code.in_(areas),
            _ALERT.c.status == ACTIVE))).scalars()
    }
    changes: list[dict[str, Any]] = []
    for reading in readings:
        for rule in rules:
            if rule.indicator_code != reading.indicator_code or not within(
                    reading.area_code, [rule.area_code]):
                continue
            assert rule.id is not None
            current = active.get((rule.id, reading.area_code))
            hit = breaches(reading.value, rule.comparator, rule.threshold)
            if hit and current is None:
                current = Alert(rule_id=rule.id, area_code=reading.area_code,
                                period=reading.period, value=reading.value, status=ACTIVE)
                session.add(current)
                active[(rule.id, reading.area_code)] = current
            elif hit and current is not None and _not_older(reading.period, current.period):
                current.period, current.value = reading.period, reading.value
                continue
            elif not hit and current is not None and _not_older(reading.period, current.period):
                current.status, current.cleared_at = CLEARED, utcnow()
                del active[(rule.id, reading.area_code)]
            else:
                continue
            changes.append({"table": "alert", "key": f"{rule.id}/{reading.area_code}",
                            "before": None if hit else ACTIVE, "after": current.status})
            payload = event_payloads.alert_raised(
                rule_id=rule.id, indicator_code=reading.indicator_code, topic=reading.topic,
                severity=rule.severity, message=_message(rule, reading, hit),
                value=reading.value, threshold=rule.threshold)
            payload["status"] = current.status
            payload["period"] = reading.period
            enqueue(session, EventKind.ALERT_RAISED, reading.area_code, payload)
    return changes


async def evaluate_overdue(session: AsyncSession, area_code: str,
                           now: datetime) -> list[dict[str, Any]]:
    """Re-count overdue complaints in the province and district of a complaint that changed.

    Overdue counts are read at the levels that act on them: the governor's province and the
    district chief's district; the reading's period is the current month (Bangkok time).
    """
    has_rules = (await session.execute(
        select(_RULE.c.id).where(_RULE.c.indicator_code == OVERDUE_INDICATOR).limit(1)
    )).first()
    if has_rules is None or area_code == "TH":
        return []
    await session.flush()  # count the change being made in this transaction too
    areas = [a for a in (province_of(area_code), district_of(area_code)) if a is not None]
    statement = select(_COMPLAINT.c.area_code).where(
        _COMPLAINT.c.status.in_(sorted(OPEN)), _COMPLAINT.c.due_at < now,
        _COMPLAINT.c.area_code.like(f"{areas[0]}%"))
    codes = list((await session.execute(statement)).scalars())
    period = label_containing(PeriodType.MONTH, to_bangkok(now).date())
    readings = [Reading(OVERDUE_INDICATOR, "complaints", area, period,
                        float(sum(1 for c in codes if c.startswith(area)))) for area in areas]
    return await evaluate(session, readings)


async def sweep_overdue(database: Database, now: datetime | None = None) -> int:
    """Re-count overdue complaints everywhere one is overdue: complaints become overdue as time
    passes, with no write to trigger the rules. Returns the alert changes made."""
    moment = now or utcnow()
    async with database.unit_of_work() as session:
        districts = (await session.execute(
            select(_COMPLAINT.c.area_code).where(
                _COMPLAINT.c.status.in_(sorted(OPEN)), _COMPLAINT.c.due_at < moment)
        )).scalars()
        changes: list[dict[str, Any]] = []
        for district in sorted({code[:4] for code in districts}):
            changes += await evaluate_overdue(session, district, moment)
    return len(changes)


def _not_older(period: str, than: str) -> bool:
    return parse_period(period).start >= parse_period(than).start


@dataclass(frozen=True)
class AlertFilter:
    grants: Sequence[Grant] = ()
    status: str | None = None
    indicator_code: str | None = None


def _alerts(f: AlertFilter) -> Select[Any]:
    statement = (select(_ALERT, _RULE.c.name, _RULE.c.indicator_code, _RULE.c.severity,
                        _RULE.c.comparator, _RULE.c.threshold)
                 .join(_RULE, _RULE.c.id == _ALERT.c.rule_id)
                 .where(granted(f.grants, lambda p: subtree(_ALERT.c.area_code, p), None)))
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


async def list_rules(db: Database, grants: Sequence[Grant],
                     indicator_code: str | None) -> list[Any]:
    """Rules that apply in the caller's areas: set there, or set above and reaching down."""
    statement = select(_RULE).order_by(_RULE.c.id)
    if indicator_code is not None:
        statement = statement.where(_RULE.c.indicator_code == indicator_code)
    async with db.engine.connect() as conn:
        rows = list((await conn.execute(statement)).mappings())
    return [r for r in rows if any(
        g.areas is None or within(r["area_code"], g.areas) or
        any(within(a, [r["area_code"]]) for a in g.areas) for g in grants)]


def add_rule(session: AsyncSession, *, name: str, indicator_code: str, area_code: str,
             comparator: str, threshold: float, severity: str) -> AlertRule:
    rule = AlertRule(name=name, indicator_code=indicator_code, area_code=area_code,
                     comparator=comparator, threshold=threshold, severity=severity)
    session.add(rule)
    return rule
