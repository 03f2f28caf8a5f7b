"""Time helpers: store UTC, show Bangkok time (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


def utcnow() -> datetime:
    """The current time, aware, in UTC: the form every timestamp column takes and gives."""
    return datetime.now(UTC)


def to_bangkok(moment: datetime) -> datetime:
    """A stored timestamp as Bangkok time (naive values are read as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BANGKOK)
