"""Officials' figures: recording a batch (all or nothing, retried safely with an idempotency
key) and reading one figure's revisions. Plain functions, called by the GraphQL resolvers and
by anything else that records on someone's behalf."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.policy import Capability, can_write, require, require_figures
from areagraph.auth.principal import Principal
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import observation_writes
from areagraph.connectors.local.figures.observation_writes import NewFigure
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.area_codes import parse_area_code
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.errors import BadUserInput, IdempotencyKeyReused
from areagraph.core.periods import period_argument
from areagraph.core.validation import InvalidInput
from areagraph.domain.figures.entry_checks import MAX_ROWS, RowError, check_row
from areagraph.domain.figures.recording import record_figures
from areagraph.domain.ports import AuditRecorder, Lookup

OPERATION = "recordObservations"


class FigureInput(Protocol):
    indicator_code: str
    area_code: str
    period: str
    value: float


@dataclass(frozen=True)
class RecordResult:
    accepted: bool
    written: int
    unchanged: int
    replayed: bool
    revisions: list[dict[str, Any]]
    errors: list[RowError]

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "written": self.written, "unchanged": self.unchanged,
                "revisions": [{**r, "period_start": r["period_start"].isoformat(),
                               "recorded_at": r["recorded_at"].isoformat()}
                              for r in self.revisions]}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> RecordResult:
        revisions = [{**r, "recorded_at": datetime.fromisoformat(r["recorded_at"])}
                     for r in doc["revisions"]]
        return cls(doc["accepted"], doc["written"], doc["unchanged"], True, revisions, [])


def known_area(code: str) -> str | None:
    """The area code in its short form, or None when it is not one (the row says why)."""
    try:
        return parse_area_code(code)
    except InvalidInput:
        return None


class _Row(Protocol):
    indicator_code: str
    area_code: str


@dataclass(frozen=True)
class RowsLookedUp:
    """Each row's indicator code and short area code (None: not a code), and the rows of the
    indicators and areas they name, each looked up once for the batch."""

    codes: list[str]
    areas: list[str | None]
    indicators: dict[str, Any]
    area_rows: dict[str, Any]


async def look_up(rows: Sequence[_Row], indicators: Lookup, areas: Lookup) -> RowsLookedUp:
    codes = [r.indicator_code.strip().upper() for r in rows]
    area_codes = [known_area(r.area_code) for r in rows]
    distinct_codes = list(set(codes))
    known = list({a for a in area_codes if a})
    return RowsLookedUp(
        codes, area_codes,
        dict(zip(distinct_codes, await indicators.load_many(distinct_codes), strict=True)),
        dict(zip(known, await areas.load_many(known), strict=True)))


def bangkok_today() -> date:
    """Today in Bangkok, the day that decides what is "in the future"."""
    return to_bangkok(utcnow()).date()


async def _validate(principal: Principal, rows: Sequence[FigureInput], indicators: Lookup,
                    areas: Lookup, day: date
                    ) -> tuple[list[NewFigure], list[Any], list[RowError]]:
    found = await look_up(rows, indicators, areas)
    figures: list[NewFigure] = []
    used: list[Any] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, (row, code, known) in enumerate(zip(rows, found.codes, found.areas,
                                                   strict=True)):
        area = known or ""
        indicator = found.indicators.get(code)
        area_row = found.area_rows.get(area)
        period, error = check_row(index, indicator, row.area_code,
                                  None if area_row is None else area_row["level"], row.period,
                                  row.value, day)
        if error is None and indicator is not None and period is not None:
            key = (code, area, period.label)
            if key in seen:
                error = RowError(index, "period", f"the same figure is already in row "
                                                  f"{seen[key]}")
            elif not can_write(principal, Capability.WRITE_FIGURES, area,
                               agency=indicator["agency_code"]):
                error = RowError(index, "areaCode", f"forbidden: you may not record "
                                                    f"{code} figures for area {area}")
            else:
                seen[key] = index
                figures.append(NewFigure(code, area, period.label, period.start, row.value))
                used.append(indicator)
        if error is not None:
            errors.append(error)
    return figures, used, errors


async def record_observations(db: Database, principal: Principal | None,
                              rows: Sequence[FigureInput], idempotency_key: str | None, *,
                              indicators: Lookup, areas: Lookup, audit: AuditRecorder,
                              today: date | None = None) -> RecordResult:
    """Validate every row; write all of them in one transaction, or none and say why.

    A retry with the same `idempotency_key` and rows answers with the first result."""
    caller = require(principal, Capability.WRITE_FIGURES)
    if not rows or len(rows) > MAX_ROWS:
        raise BadUserInput(f"send between 1 and {MAX_ROWS} rows, got {len(rows)}",
                           argument="input")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise BadUserInput("an idempotency key has 1 to 200 characters",
                           argument="idempotencyKey")
    fingerprint = observation_writes.request_fingerprint(
        [[r.indicator_code.strip().upper(), r.area_code.strip(), r.period.strip().upper(),
          r.value] for r in rows])
    if idempotency_key is not None:
        # A retry answers with the first result even if the rows would no longer pass.
        async with db.session() as reader:
            replay = await _replay(reader, idempotency_key, caller.subject, fingerprint)
        if replay is not None:
            return replay
    figures, used, errors = await _validate(caller, rows, indicators, areas,
                                            today or bangkok_today())
    if errors:
        return RecordResult(False, 0, 0, False, [], errors)
    lock_keys = observation_writes.figure_lock_keys(figures)
    if idempotency_key is not None:
        lock_keys.append(f"idempotency:{caller.subject}:{idempotency_key}")
    async with locked_unit_of_work(db, lock_keys) as session:
        if idempotency_key is not None:
            replay = await _replay(session, idempotency_key, caller.subject, fingerprint)
            if replay is not None:  # a concurrent call with the key got in first
                return replay
        topics = {ind["code"]: ind["topic"] for ind in used}
        outcome, alert_changes = await record_figures(session, figures, caller.subject, topics)
        audit(session, caller, outcome.changes + alert_changes)
        result = RecordResult(True, len(outcome.written), outcome.unchanged, False,
                              outcome.written, [])
        if idempotency_key is not None:
            observation_writes.remember_result(session, idempotency_key, caller.subject,
                                               OPERATION, fingerprint, result.to_json())
    return result


async def _replay(session: AsyncSession, key: str, subject: str,
                  fingerprint: str) -> RecordResult | None:
    try:
        stored = await observation_writes.idempotent_result(session, key, subject, OPERATION,
                                                            fingerprint)
    except observation_writes.KeyReused as exc:
        raise IdempotencyKeyReused(str(exc), argument="idempotencyKey",
                                   idempotencyKey=key) from None
    return None if stored is None else RecordResult.from_json(stored)


async def observation_history(db: Database, principal: Principal | None, indicators: Lookup,
                              indicator_code: str, area_code: str, period: str) -> list[Any]:
    """Every revision of one figure, oldest first (who, when, the value); `area_code` is in
    its short form."""
    indicator = await indicators.load(indicator_code.strip().upper())
    if indicator is None:
        return []
    require_figures(principal, area_code, indicator["topic"])
    return await observation_writes.history(db, indicator["code"], area_code,
                                            period_argument(period).label)
