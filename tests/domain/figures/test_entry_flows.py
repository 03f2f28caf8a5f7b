"""The figure-entry and target flows called directly, as a webhook, the CLI or a job would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from areagraph.core.errors import BadUserInput, Forbidden, IdempotencyKeyReused, Unauthenticated
from areagraph.domain.figures import entry, targets
from tests.conftest import Gateway
from tests.domain.flow_helpers import AuditLog, lookups, principal
from tests.domain.helpers import count_rows

DROUGHT = "DROUGHT_AFFECTED_HH"


@dataclass
class Figure:
    indicator_code: str
    area_code: str
    period: str
    value: float


@dataclass
class Target:
    indicator_code: str
    area_code: str
    fiscal_year: int
    value: float


async def test_figures_are_recorded_audited_and_replayed(gateway: Gateway) -> None:
    db, audit = gateway.services.database, AuditLog()
    governor = principal("governor", ["83"], subject="governor-83")
    rows = [Figure(DROUGHT, " 830101 ", "2026-03", 30)]
    result = await entry.record_observations(db, governor, rows, "k-1", audit=audit,
                                             **lookups(db))
    assert (result.accepted, result.written, result.replayed) == (True, 1, False)
    assert result.revisions[0]["area_code"] == "830101"
    assert [subject for subject, _ in audit.calls] == ["governor-83"]
    assert await count_rows(gateway, "audit_record") == 0  # the recorder given is the audit
    again = await entry.record_observations(db, governor, rows, "k-1", audit=audit,
                                            **lookups(db))
    assert again.replayed and again.written == 1 and len(audit.calls) == 1
    with pytest.raises(IdempotencyKeyReused):
        await entry.record_observations(db, governor, [Figure(DROUGHT, "830101", "2026-03", 31)],
                                        "k-1", audit=audit, **lookups(db))
    history = await entry.observation_history(db, governor, lookups(db)["indicators"],
                                              DROUGHT.lower(), "830101", "2026-03")
    assert [r["value"] for r in history] == [30.0]


async def test_refused_rows_are_listed_and_nothing_written(gateway: Gateway) -> None:
    db, audit = gateway.services.database, AuditLog()
    governor = principal("governor", ["83"])
    result = await entry.record_observations(
        db, governor, [Figure(DROUGHT, "340101", "2026-03", 1), Figure("NOPE", "830101",
                                                                       "2026-03", 1)],
        None, audit=audit, **lookups(db))
    assert not result.accepted
    assert [(e.index, e.field) for e in result.errors] == [(0, "areaCode"), (1, "indicatorCode")]
    assert audit.calls == [] and await count_rows(gateway, "observation") == 0
    with pytest.raises(Unauthenticated):
        await entry.record_observations(db, None, [Figure(DROUGHT, "830101", "2026-03", 1)],
                                        None, audit=audit, **lookups(db))
    with pytest.raises(BadUserInput) as refused:
        await entry.record_observations(db, governor, [], None, audit=audit, **lookups(db))
    assert refused.value.extensions["argument"] == "input"
    with pytest.raises(Forbidden):
        await entry.observation_history(db, principal("governor", ["34"]),
                                        lookups(db)["indicators"], DROUGHT, "830101", "2026-03")
    with pytest.raises(BadUserInput) as bad_period:
        await entry.observation_history(db, governor, lookups(db)["indicators"], DROUGHT,
                                        "830101", "2026-13")
    assert bad_period.value.extensions["argument"] == "period"


async def test_targets_are_set_all_or_nothing_and_listed(gateway: Gateway) -> None:
    db, audit = gateway.services.database, AuditLog()
    governor = principal("governor", ["83"], subject="governor-83")
    saved = await targets.set_targets(db, governor, [Target(DROUGHT, "8301", 2026, 100),
                                                     Target(DROUGHT, "8301", 2026, 100)],
                                      audit=audit, **lookups(db))
    assert [(t["area_code"], t["value"]) for t in saved] == [("8301", 100.0)]
    assert len(audit.calls) == 1
    with pytest.raises(BadUserInput) as refused:
        await targets.set_targets(db, governor, [Target(DROUGHT, "8302", 2026, 5),
                                                 Target(DROUGHT, "3401", 2026, 5),
                                                 Target(DROUGHT, "8302", 2026, 2.5)],
                                  audit=audit, **lookups(db))
    assert [r["index"] for r in refused.value.extensions["rows"]] == [1, 2]
    assert len(audit.calls) == 1
    listed = await targets.list_targets(db, governor, "8301", 2026, DROUGHT.lower())
    assert [(t["indicator_code"], t["value"]) for t in listed] == [(DROUGHT, 100.0)]
    with pytest.raises(BadUserInput) as be_year:
        await targets.list_targets(db, governor, "8301", 2569, None)
    assert "Buddhist Era" in be_year.value.message
