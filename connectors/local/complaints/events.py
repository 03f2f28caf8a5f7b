"""The `complaintUpdated` outbox event of a complaint, from its row (a model or its columns);
the complainant stays in the store (see event_payloads)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.models import Complaint, OutboxEvent
from areagraph.connectors.local.outbox import EventKind, enqueue


def complaint_event(session: AsyncSession, complaint: Complaint | Mapping[str, Any],
                    previous_status: str | None) -> OutboxEvent:
    row = complaint.model_dump() if isinstance(complaint, Complaint) else complaint
    return enqueue(session, EventKind.COMPLAINT_UPDATED, row["area_code"],
                   event_payloads.complaint_updated(
                       ticket_no=row["ticket_no"], status=row["status"],
                       previous_status=previous_status, subject=row["subject"],
                       category_code=row["category_code"],
                       agency_code=row["assigned_agency_code"]))
