"""Source events published by the one flow webhooks and polling share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from areagraph.domain.sources.events import record_source_events
from tests.conftest import Gateway
from tests.domain.helpers import count_rows, rows_of


@dataclass(frozen=True)
class Happening:
    area_code: str
    kind: str
    reference: str
    title: str
    area_codes: tuple[str, ...]
    started_on: date | None = None
    ended_on: date | None = None
    status: str | None = None
    households_affected: int | None = None
    agency_code: str | None = None


async def test_reported_events_go_through_the_outbox(gateway: Gateway) -> None:
    db = gateway.services.database
    assert await record_source_events(db, "ddpm", []) == []
    assert await count_rows(gateway, "outbox_event") == 0
    rows = await record_source_events(db, "ddpm", [
        Happening("83", "drought", "D-1", "ภัยแล้ง", ("8301", "8302"), date(2026, 3, 1),
                  households_affected=120),
        Happening("34", "flood", "F-1", "อุทกภัย", ("3401",), agency_code="DDPM")])
    assert all(r.id is not None for r in rows)
    stored = await rows_of(gateway, "SELECT id, kind, area_code, payload FROM outbox_event "
                                    "ORDER BY id")
    assert [r["id"] for r in stored] == [r.id for r in rows]
    assert [(r["kind"], r["area_code"]) for r in stored] == [("source_event", "83"),
                                                            ("source_event", "34")]
    first, second = (json.loads(r["payload"]) if isinstance(r["payload"], str)
                     else r["payload"] for r in stored)
    assert first == {"source": "ddpm", "kind": "drought", "reference": "D-1",
                     "title": "ภัยแล้ง", "areaCodes": ["8301", "8302"], "agencyCode": None,
                     "startedOn": "2026-03-01", "endedOn": None, "status": None,
                     "householdsAffected": 120}
    assert second["agencyCode"] == "DDPM" and second["startedOn"] is None
