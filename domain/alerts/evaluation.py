"""Alerts raised and cleared by the figures that arrive, in the transaction recording them.

One active alert per rule and area: a breach raises it (or moves it to the newer period), a
figure back within the threshold for the same or a later period clears it. Overdue complaints
are a reading too: their count per province and district, re-read when a complaint changes and
swept periodically, since complaints fall overdue as time passes with no write.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local import alerts as store
from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import AlertRule
from areagraph.connectors.local.outbox import EventKind, enqueue
from areagraph.core.area_codes import district_of, province_of, within
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.periods import PeriodType, label_containing, parse_period
from areagraph.domain.alerts.rules import breaches

OVERDUE_INDICATOR = "COMPLAINTS_OVERDUE"


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


def _not_older(period: str, than: str) -> bool:
    return parse_period(period).start >= parse_period(than).start


async def evaluate(session: AsyncSession, readings: Sequence[Reading]) -> list[dict[str, Any]]:
    """Raise, update or clear alerts for the readings, with an `alertRaised` event for each
    raised or cleared; returns the changes for the audit trail."""
    if not readings:
        return []
    rules = await store.rules_on(session, sorted({r.indicator_code for r in readings}))
    if not rules:
        return []
    active = await store.active_alerts(session, [r.id for r in rules if r.id is not None],
                                       sorted({r.area_code for r in readings}))
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
                current = store.raise_alert(session, rule.id, reading.area_code,
                                            reading.period, reading.value)
                active[(rule.id, reading.area_code)] = current
            elif hit and current is not None and _not_older(reading.period, current.period):
                store.move_alert(current, reading.period, reading.value)
                continue
            elif not hit and current is not None and _not_older(reading.period, current.period):
                store.clear_alert(current, utcnow())
                del active[(rule.id, reading.area_code)]
            else:
                continue
            changes.append({"table": "alert", "key": f"{rule.id}/{reading.area_code}",
                            "before": None if hit else store.ACTIVE, "after": current.status})
            payload = event_payloads.alert_raised(
                rule_id=rule.id, indicator_code=reading.indicator_code, topic=reading.topic,
                severity=rule.severity, message=_message(rule, reading, hit),
                value=reading.value, threshold=rule.threshold)
            payload["status"] = current.status
            payload["period"] = reading.period
            enqueue(session, EventKind.ALERT_RAISED, reading.area_code, payload)
    return changes


async def evaluate_overdue(session: AsyncSession, area_code: str, now: datetime,
                           open_statuses: Collection[str]) -> list[dict[str, Any]]:
    """Re-count overdue complaints in the province and district of a complaint that changed.

    A complaint is overdue when its status is one of `open_statuses` (the complaints' own
    vocabulary) past its due time. Overdue counts are read at the levels that act on them: the
    governor's province and the district chief's district; the reading's period is the current
    month (Bangkok time).
    """
    if area_code == "TH" or not await store.has_rules_on(session, OVERDUE_INDICATOR):
        return []
    areas = [a for a in (province_of(area_code), district_of(area_code)) if a is not None]
    codes = await store.overdue_complaint_areas(session, open_statuses, now, under=areas[0])
    period = label_containing(PeriodType.MONTH, to_bangkok(now).date())
    readings = [Reading(OVERDUE_INDICATOR, "complaints", area, period,
                        float(sum(1 for c in codes if c.startswith(area)))) for area in areas]
    return await evaluate(session, readings)


async def sweep_overdue(database: Database, open_statuses: Collection[str],
                        now: datetime | None = None) -> int:
    """Re-count overdue complaints in every district where one is overdue; returns the alert
    changes made."""
    moment = now or utcnow()
    async with database.unit_of_work() as session:
        districts = await store.overdue_complaint_areas(session, open_statuses, moment)
        changes: list[dict[str, Any]] = []
        for district in sorted({code[:4] for code in districts}):
            changes += await evaluate_overdue(session, district, moment, open_statuses)
    return len(changes)
