"""Complaint statistics for an area: counts, overdue cases and the median days to resolve."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median

from areagraph.connectors.local.complaints.workflow import Case
from areagraph.domain.complaints.states import OPEN, REJECTED


@dataclass(frozen=True)
class Summary:
    received: int
    open: int
    resolved: int
    rejected: int
    overdue: int  # still open after the category's service-level days
    resolved_late: int  # resolved, but after the due date
    median_days_to_resolve: float | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_overdue(status: str, due_at: datetime, now: datetime) -> bool:
    return status in OPEN and _aware(due_at) < now


def summarize(cases: Iterable[Case], now: datetime) -> Summary:
    items = list(cases)
    done = [c for c in items if c.resolved_at is not None]
    days = [(_aware(c.resolved_at) - _aware(c.received_at)).total_seconds() / 86_400
            for c in done if c.resolved_at is not None]
    return Summary(
        received=len(items),
        open=sum(1 for c in items if c.status in OPEN),
        resolved=len(done),
        rejected=sum(1 for c in items if c.status == REJECTED),
        overdue=sum(1 for c in items if is_overdue(c.status, c.due_at, now)),
        resolved_late=sum(1 for c in done if c.resolved_at is not None
                          and _aware(c.resolved_at) > _aware(c.due_at)),
        median_days_to_resolve=round(median(days), 2) if days else None,
    )
