"""What the data-entry mutations do: record figures (all or nothing), set targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.policy import Capability, can_write, require, require_figures
from areagraph.auth.principal import Principal
from areagraph.connectors.local import observation_writes, targets
from areagraph.connectors.local.observation_writes import NewFigure
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.errors import BadUserInput, IdempotencyKeyReused
from areagraph.domain.figures.entry_checks import MAX_ROWS, RowError, check_row, value_problem
from areagraph.domain.figures.recording import record_figures
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.rollups import today
from areagraph.resolvers.write_audit import record_write

OPERATION = "recordObservations"


class FigureInput(Protocol):
    indicator_code: str
    area_code: str
    period: str
    value: float


class TargetInput(Protocol):
    indicator_code: str
    area_code: str
    fiscal_year: int
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


def _area(code: str) -> str | None:
    try:
        return inputs.area_code(code, "areaCode")
    except BadUserInput:
        return None


async def _validate(info: Info, principal: Principal,
                    rows: Sequence[FigureInput]) -> tuple[list[NewFigure], list[Any],
                                                          list[RowError]]:
    loaders = info.context.loaders
    codes = [r.indicator_code.strip().upper() for r in rows]
    areas = [_area(r.area_code) or "" for r in rows]
    indicators = dict(zip(set(codes), await loaders.indicator.load_many(list(set(codes))),
                          strict=True))
    known = [a for a in set(areas) if a]
    area_rows = dict(zip(known, await loaders.area.load_many(known), strict=True))
    figures: list[NewFigure] = []
    used: list[Any] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str, str], int] = {}
    day = today()
    for index, (row, code, area) in enumerate(zip(rows, codes, areas, strict=True)):
        indicator = indicators.get(code)
        found = area_rows.get(area)
        period, error = check_row(index, indicator, row.area_code,
                                  None if found is None else found["level"], row.period,
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


async def record_observations(info: Info, rows: Sequence[FigureInput],
                              idempotency_key: str | None) -> RecordResult:
    """Validate every row; write all of them in one transaction, or none and say why."""
    principal = require(info.context.principal, Capability.WRITE_FIGURES)
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
        async with info.context.db.session() as reader:
            replay = await _replay(reader, idempotency_key, principal.subject, fingerprint)
        if replay is not None:
            return replay
    figures, indicators, errors = await _validate(info, principal, rows)
    if errors:
        return RecordResult(False, 0, 0, False, [], errors)
    lock_keys = observation_writes.figure_lock_keys(figures)
    if idempotency_key is not None:
        lock_keys.append(f"idempotency:{principal.subject}:{idempotency_key}")
    async with locked_unit_of_work(info.context.db, lock_keys) as session:
        if idempotency_key is not None:
            replay = await _replay(session, idempotency_key, principal.subject, fingerprint)
            if replay is not None:  # a concurrent call with the key got in first
                return replay
        topics = {ind["code"]: ind["topic"] for ind in indicators}
        outcome, alert_changes = await record_figures(session, figures, principal.subject,
                                                      topics)
        record_write(session, info, principal, outcome.changes + alert_changes)
        result = RecordResult(True, len(outcome.written), outcome.unchanged, False,
                              outcome.written, [])
        if idempotency_key is not None:
            observation_writes.remember_result(session, idempotency_key, principal.subject,
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


async def observation_history(info: Info, indicator_code: str, area_code: str,
                              period: str) -> list[Any]:
    """Every revision of one figure, oldest first (who, when, the value)."""
    code = inputs.area_code(area_code, "areaCode")
    indicator = await info.context.loaders.indicator.load(indicator_code.strip().upper())
    if indicator is None:
        return []
    require_figures(info.context.principal, code, indicator["topic"])
    return await observation_writes.history(info.context.db, indicator["code"], code,
                                            inputs.period(period).label)


async def set_targets(info: Info, rows: Sequence[TargetInput]) -> list[Any]:
    """Set planned values; every row is checked and allowed, or nothing is written."""
    principal = require(info.context.principal, Capability.WRITE_FIGURES)
    if not rows or len(rows) > MAX_ROWS:
        raise BadUserInput(f"send between 1 and {MAX_ROWS} targets", argument="input")
    loaders = info.context.loaders
    codes = [r.indicator_code.strip().upper() for r in rows]
    areas = [_area(r.area_code) for r in rows]
    indicators = dict(zip(set(codes), await loaders.indicator.load_many(list(set(codes))),
                          strict=True))
    known = list({a for a in areas if a})
    area_rows = dict(zip(known, await loaders.area.load_many(known), strict=True))
    problems: list[dict[str, Any]] = []
    clean: list[dict[str, Any]] = []
    for index, (row, code, area) in enumerate(zip(rows, codes, areas, strict=True)):
        indicator = indicators.get(code)
        area_row = area_rows.get(area) if area else None
        reason = None
        if indicator is None:
            reason = "unknown indicator"
        elif area_row is None:
            reason = f"unknown area {row.area_code!r}"
        elif not 1990 <= row.fiscal_year <= 2100:
            reason = f"fiscal year {row.fiscal_year} is out of range (send CE, e.g. 2026)"
        elif (problem := value_problem(indicator["unit"], row.value)) is not None:
            reason = problem
        elif not can_write(principal, Capability.WRITE_FIGURES, area_row["code"],
                           agency=indicator["agency_code"]):
            reason = f"forbidden: you may not set {code} targets for area {area_row['code']}"
        if reason is not None:
            problems.append({"index": index, "reason": reason})
            continue
        assert area_row is not None
        clean.append({"indicator_code": code, "area_code": area_row["code"],
                      "fiscal_year": row.fiscal_year, "value": row.value})
    if problems:
        raise BadUserInput(f"{len(problems)} of {len(rows)} targets refused; nothing was saved",
                           argument="input", rows=problems)
    keys = [f"target:{r['indicator_code']}:{r['area_code']}:{r['fiscal_year']}" for r in clean]
    async with locked_unit_of_work(info.context.db, keys) as session:
        changes = await targets.upsert_targets(session, clean, principal.subject)
        record_write(session, info, principal, changes)
    wanted = [(r["indicator_code"], r["area_code"], r["fiscal_year"]) for r in clean]
    found = await targets.targets_by_keys(info.context.db, wanted)
    return [found[k] for k in dict.fromkeys(wanted)]


async def list_targets(info: Info, area_code: str, fiscal_year: int | None,
                       indicator_code: str | None) -> list[Any]:
    """The targets set for one area (planners read them beside the figures)."""
    code = inputs.area_code(area_code, "areaCode")
    require_figures(info.context.principal, code)
    return await targets.list_targets(
        info.context.db, area_codes=[], exact_area=code,
        fiscal_year=inputs.fiscal_year(fiscal_year),
        indicator_code=indicator_code.strip().upper() if indicator_code else None)
