"""Alerts: threshold rules on indicators, evaluated when figures arrive."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from areagraph.resolvers import alerts as resolve
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.schema.common import Connection, connection, decode_cursor


@strawberry.enum(description="How a figure is compared with the threshold.")
class AlertComparator(Enum):
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@strawberry.enum
class AlertSeverity(Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@strawberry.enum(description="An alert is active until a newer figure is back in bounds.")
class AlertStatus(Enum):
    ACTIVE = "active"
    CLEARED = "cleared"


@strawberry.type(description="A threshold on an indicator for an area's subtree.")
class AlertRule:
    id: int
    name: str
    indicator_code: str
    area_code: str
    comparator: AlertComparator
    threshold: float
    severity: AlertSeverity

    @classmethod
    def from_row(cls, row: Any) -> AlertRule:
        return cls(id=row["id"], name=row["name"], indicator_code=row["indicator_code"],
                   area_code=row["area_code"], comparator=AlertComparator(row["comparator"]),
                   threshold=row["threshold"], severity=AlertSeverity(row["severity"]))


@strawberry.type(description="An alert raised for an area when a figure crossed a rule.")
class Alert:
    id: int
    rule_id: int
    rule_name: str
    indicator_code: str
    severity: AlertSeverity
    comparator: AlertComparator
    threshold: float
    area_code: str
    period: str
    value: float
    status: AlertStatus
    raised_at: datetime
    cleared_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> Alert:
        return cls(id=row["id"], rule_id=row["rule_id"], rule_name=row["name"],
                   indicator_code=row["indicator_code"],
                   severity=AlertSeverity(row["severity"]),
                   comparator=AlertComparator(row["comparator"]), threshold=row["threshold"],
                   area_code=row["area_code"], period=row["period"], value=row["value"],
                   status=AlertStatus(row["status"]), raised_at=row["raised_at"],
                   cleared_at=row["cleared_at"])


@strawberry.type
class AlertQuery:
    @strawberry.field(description="Alerts in an area's subtree, by status, oldest first.")
    async def alerts(self, info: Info, area_code: str | None = None,
                     status: AlertStatus | None = None, indicator_code: str | None = None,
                     first: int | None = None, after: str | None = None) -> Connection[Alert]:
        page, total = await resolve.alerts(info, area_code, status.value if status else None,
                                           indicator_code, first,
                                           inputs.key(decode_cursor("alert", after),
                                                      "cursor for alerts", "after"))
        nodes = [Alert.from_row(r) for r in page.rows]
        return connection(nodes, [n.id for n in nodes], "alert", page.has_next,
                          page.has_previous, total)

    @strawberry.field(description="The alert rules that apply in an area.")
    async def alert_rules(self, info: Info, area_code: str | None = None,
                          indicator_code: str | None = None) -> list[AlertRule]:
        return [AlertRule.from_row(r) for r in await resolve.rules(info, area_code,
                                                                   indicator_code)]


@strawberry.type
class AlertMutation:
    @strawberry.mutation(description="Add a threshold rule, evaluated whenever figures of the "
                                     "indicator arrive in the area's subtree.")
    async def create_alert_rule(self, info: Info, name: str, indicator_code: str,
                                comparator: AlertComparator, threshold: float,
                                area_code: str = "TH",
                                severity: AlertSeverity = AlertSeverity.WARNING) -> AlertRule:
        row = await resolve.create_rule(info, name=name, indicator_code=indicator_code,
                                        area_code=area_code, comparator=comparator.value,
                                        threshold=threshold, severity=severity.value)
        return AlertRule.from_row(row)
