"""Recording figures with their consequences, in the caller's transaction: the new revisions,
the alert rules they trip, and one outbox event per revision. Officials' entries and source
syncs record alike, so every figure reaches rules and subscribers the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local import event_payloads
from areagraph.connectors.local.figures.observation_writes import (
    NewFigure,
    WriteOutcome,
    write_figures,
)
from areagraph.connectors.local.outbox import EventKind, enqueue
from areagraph.domain.alerts.evaluation import Reading, evaluate


async def record_figures(session: AsyncSession, figures: Sequence[NewFigure], recorded_by: str,
                         topics: Mapping[str, str], source: str = "local"
                         ) -> tuple[WriteOutcome, list[dict[str, Any]]]:
    """Write the changed figures as revisions; returns the outcome and the alert changes.

    `topics` gives each indicator's topic (events and alerts are scoped by it)."""
    outcome = await write_figures(session, figures, recorded_by, source)
    readings = [Reading(r["indicator_code"], topics[r["indicator_code"]],
                               r["area_code"], r["period"], r["value"])
                for r in outcome.written]
    alert_changes = await evaluate(session, readings)
    for r in outcome.written:
        enqueue(session, EventKind.OBSERVATION_RECORDED, r["area_code"],
                event_payloads.observation_recorded(
                    indicator_code=r["indicator_code"], topic=topics[r["indicator_code"]],
                    period=r["period"], value=r["value"], revision=r["revision"],
                    source=source))
    return outcome, alert_changes
