"""The transactional outbox: events are rows written in the same transaction as their change.

A relay publishes unpublished rows to the broker; a row's id is the event id clients resume from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from connectors.local.models import OutboxEvent


class EventKind(StrEnum):
    OBSERVATION_RECORDED = "observation_recorded"
    COMPLAINT_UPDATED = "complaint_updated"
    PROJECT_UPDATED = "project_updated"
    SOURCE_EVENT = "source_event"
    ALERT_RAISED = "alert_raised"


def enqueue(session: AsyncSession, kind: EventKind, area_code: str,
            payload: dict[str, Any]) -> OutboxEvent:
    """Add an event to the caller's transaction; it is published only if that commits."""
    event = OutboxEvent(kind=kind.value, area_code=area_code, payload=payload)
    session.add(event)
    return event
