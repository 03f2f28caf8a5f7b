"""Targets: the planned value of an indicator for an area and Thai fiscal year, set by
planners (every row checked and allowed, or nothing written) and read beside the figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from areagraph.auth.policy import Capability, can_write, require, require_figures
from areagraph.auth.principal import Principal
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import targets
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.core.errors import BadUserInput
from areagraph.core.periods import fiscal_year_argument
from areagraph.domain.figures.entry import look_up
from areagraph.domain.figures.entry_checks import MAX_ROWS, value_problem
from areagraph.domain.ports import AuditRecorder, Lookup


class TargetInput(Protocol):
    indicator_code: str
    area_code: str
    fiscal_year: int
    value: float


def _refusal(row: TargetInput, code: str, indicator: Any, area_row: Any,
             principal: Principal) -> str | None:
    """Why one target row cannot be saved, or None."""
    if indicator is None:
        return "unknown indicator"
    if area_row is None:
        return f"unknown area {row.area_code!r}"
    if not 1990 <= row.fiscal_year <= 2100:
        return f"fiscal year {row.fiscal_year} is out of range (send CE, e.g. 2026)"
    if (problem := value_problem(indicator["unit"], row.value)) is not None:
        return problem
    if not can_write(principal, Capability.WRITE_FIGURES, area_row["code"],
                     agency=indicator["agency_code"]):
        return f"forbidden: you may not set {code} targets for area {area_row['code']}"
    return None


async def set_targets(db: Database, principal: Principal | None, rows: Sequence[TargetInput],
                      *, indicators: Lookup, areas: Lookup, audit: AuditRecorder) -> list[Any]:
    """Set planned values; every row is checked and allowed, or nothing is written. Returns
    the targets as stored, one per distinct key in the order sent."""
    caller = require(principal, Capability.WRITE_FIGURES)
    if not rows or len(rows) > MAX_ROWS:
        raise BadUserInput(f"send between 1 and {MAX_ROWS} targets", argument="input")
    found = await look_up(rows, indicators, areas)
    problems: list[dict[str, Any]] = []
    clean: list[dict[str, Any]] = []
    for index, (row, code, area) in enumerate(zip(rows, found.codes, found.areas, strict=True)):
        area_row = found.area_rows.get(area) if area else None
        reason = _refusal(row, code, found.indicators.get(code), area_row, caller)
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
    async with locked_unit_of_work(db, keys) as session:
        changes = await targets.upsert_targets(session, clean, caller.subject)
        audit(session, caller, changes)
    wanted = [(r["indicator_code"], r["area_code"], r["fiscal_year"]) for r in clean]
    stored = await targets.targets_by_keys(db, wanted)
    return [stored[k] for k in dict.fromkeys(wanted)]


async def list_targets(db: Database, principal: Principal | None, area_code: str,
                       fiscal_year: int | None, indicator_code: str | None) -> list[Any]:
    """The targets set for one area (`area_code` in its short form), which planners read
    beside the figures."""
    require_figures(principal, area_code)
    return await targets.list_targets(
        db, area_codes=[], exact_area=area_code, fiscal_year=fiscal_year_argument(fiscal_year),
        indicator_code=indicator_code.strip().upper() if indicator_code else None)
