"""Complaint events written before complainants left the outbox lose their personal data on
upgrade; every other key and every other event stays as it was."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from sqlalchemy import create_engine, text

from areagraph.core.settings import Settings
from areagraph.migrations.run import alembic_config, upgrade_to_head

_OLD_COMPLAINT = {"ticketNo": "DD-1", "status": "received", "previousStatus": None,
                  "subject": "น้ำประปาไม่ไหล", "categoryCode": "WATER", "agencyCode": None,
                  "complainant": {"name": "สมชาย ใจดี", "phone": "0812345678",
                                  "citizenId": "1103700012345"}}
_PROJECT = {"code": "P-1", "complainant": "not personal data here: another kind's own key"}


def _insert(settings: Settings, kind: str, payload: dict[str, Any]) -> int:
    engine = create_engine(settings.sync_database_url)
    try:
        with engine.begin() as conn:
            row = conn.execute(text(
                "INSERT INTO outbox_event (kind, area_code, payload, created_at) "
                "VALUES (:kind, '34', :payload, CURRENT_TIMESTAMP) RETURNING id"),
                {"kind": kind, "payload": json.dumps(payload, ensure_ascii=False)}).one()
            return int(row[0])
    finally:
        engine.dispose()


def _payload(settings: Settings, event_id: int) -> dict[str, Any]:
    engine = create_engine(settings.sync_database_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT payload FROM outbox_event WHERE id = :id"),
                                  {"id": event_id}).scalar_one()
    finally:
        engine.dispose()
    return stored if isinstance(stored, dict) else json.loads(stored)


def test_upgrading_strips_the_complainant_from_old_complaint_events(settings: Settings) -> None:
    command.downgrade(alembic_config(settings), "0003_complaint_source")
    old = _insert(settings, "complaint_updated", _OLD_COMPLAINT)
    other = _insert(settings, "project_updated", _PROJECT)
    assert "complainant" in _payload(settings, old)

    upgrade_to_head(settings)

    expected = {k: v for k, v in _OLD_COMPLAINT.items() if k != "complainant"}
    assert _payload(settings, old) == expected  # Thai text intact, nothing else touched
    assert _payload(settings, other) == _PROJECT
