"""The payload each kind of outbox event carries: what subscribers can be sent.

Writers build payloads here and pass them to `outbox.enqueue`, so the subscription types in
`schema/subscriptions.py` can rely on the keys. Personal data never travels in a payload (the
outbox and the broker's messages hold none): a complaint event carries its ticket number, and a
subscriber that asks for the complainant reads it from the store, masked for them as in queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any


def observation_recorded(*, indicator_code: str, topic: str, period: str, value: float,
                         revision: int = 1, source: str = "local") -> dict[str, Any]:
    return {"indicatorCode": indicator_code, "topic": topic, "period": period,
            "value": value, "revision": revision, "source": source}


def complaint_updated(*, ticket_no: str, status: str, previous_status: str | None,
                      subject: str, category_code: str, agency_code: str | None
                      ) -> dict[str, Any]:
    return {"ticketNo": ticket_no, "status": status, "previousStatus": previous_status,
            "subject": subject, "categoryCode": category_code, "agencyCode": agency_code}


def project_updated(*, code: str, title_th: str, title_en: str, agency_code: str, status: str,
                    progress_pct: float, area_codes: Sequence[str]) -> dict[str, Any]:
    return {"code": code, "titleTh": title_th, "titleEn": title_en, "agencyCode": agency_code,
            "status": status, "progressPct": progress_pct, "areaCodes": list(area_codes)}


def source_event(*, source: str, kind: str, reference: str, title: str,
                 area_codes: Sequence[str], started_on: date | None = None,
                 ended_on: date | None = None, status: str | None = None,
                 households_affected: int | None = None,
                 agency_code: str | None = None) -> dict[str, Any]:
    return {"source": source, "kind": kind, "reference": reference, "title": title,
            "areaCodes": list(area_codes), "agencyCode": agency_code,
            "startedOn": started_on.isoformat() if started_on else None,
            "endedOn": ended_on.isoformat() if ended_on else None,
            "status": status, "householdsAffected": households_affected}


def alert_raised(*, rule_id: int | str, indicator_code: str, topic: str, severity: str,
                 message: str, value: float | None = None,
                 threshold: float | None = None) -> dict[str, Any]:
    return {"ruleId": str(rule_id), "indicatorCode": indicator_code, "topic": topic,
            "severity": severity, "message": message, "value": value, "threshold": threshold}
