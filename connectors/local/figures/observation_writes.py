"""Recording figures: each change is a new revision; the previous one stays as history."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import IdempotencyRecord, Observation
from areagraph.core.clock import utcnow

_OBS = Observation.__table__  # type: ignore[attr-defined]
_CHUNK = 2_000  # area codes per IN list: well under the bind-parameter limits of both drivers

FigureKey = tuple[str, str, str]  # indicator, area, period
_FINGERPRINT = "request_sha256"  # kept beside the stored result of an idempotent write


@dataclass(frozen=True)
class NewFigure:
    indicator_code: str
    area_code: str
    period: str
    period_start: date
    value: float

    @property
    def key(self) -> FigureKey:
        return (self.indicator_code, self.area_code, self.period)


@dataclass
class WriteOutcome:
    written: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)


def figure_lock_keys(figures: Sequence[NewFigure]) -> list[str]:
    """Writers of the same indicator and period take turns (a few locks even for 10,000 rows)."""
    return [f"figure:{ind}:{period}" for ind, period in
            sorted({(f.indicator_code, f.period) for f in figures})]


async def _current(session: AsyncSession, figures: Sequence[NewFigure]) -> dict[FigureKey, Any]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in figures:
        groups[(f.indicator_code, f.period)].append(f.area_code)
    found: dict[FigureKey, Any] = {}
    for (indicator, period), areas in groups.items():
        for start in range(0, len(areas), _CHUNK):
            statement = select(_OBS.c.id, _OBS.c.area_code, _OBS.c.value, _OBS.c.revision).where(
                _OBS.c.indicator_code == indicator, _OBS.c.period == period,
                _OBS.c.is_current.is_(True), _OBS.c.area_code.in_(areas[start:start + _CHUNK]))
            for row in (await session.execute(statement)).mappings():
                found[(indicator, row["area_code"], period)] = row
    return found


async def write_figures(session: AsyncSession, figures: Sequence[NewFigure], recorded_by: str,
                        source: str = "local") -> WriteOutcome:
    """Add a revision for every figure whose value differs from the current one."""
    outcome = WriteOutcome()
    current = await _current(session, figures)
    superseded: list[int] = []
    now = utcnow()
    for f in figures:
        before = current.get(f.key)
        if before is not None and before["value"] == f.value:
            outcome.unchanged += 1
            continue
        if before is not None:
            superseded.append(before["id"])
        outcome.written.append({
            "indicator_code": f.indicator_code, "area_code": f.area_code, "period": f.period,
            "period_start": f.period_start, "value": f.value,
            "revision": 1 if before is None else before["revision"] + 1, "is_current": True,
            "source": source, "recorded_by": recorded_by, "recorded_at": now,
        })
        outcome.changes.append({"table": "observation", "key": "/".join(f.key),
                                "before": None if before is None else before["value"],
                                "after": f.value})
    for start in range(0, len(superseded), _CHUNK):
        await session.execute(update(_OBS).where(_OBS.c.id.in_(superseded[start:start + _CHUNK]))
                              .values(is_current=False))
    if outcome.written:
        await session.execute(insert(_OBS), outcome.written)
    return outcome


class KeyReused(ValueError):
    """The key was first used for another operation or with another request."""


def request_fingerprint(request: Any) -> str:
    """A digest of a write's request (its normalised input), to tell a retry from a new write."""
    return hashlib.sha256(orjson.dumps(request)).hexdigest()


async def idempotent_result(session: AsyncSession, key: str, subject: str, operation: str,
                            fingerprint: str) -> dict[str, Any] | None:
    """The stored first result for this caller's key, if the same request ran before."""
    found = await session.get(IdempotencyRecord, (key, subject))
    if found is None:
        return None
    if found.operation != operation:
        raise KeyReused(f"idempotency key {key!r} was used for {found.operation}")
    stored = dict(found.result)
    if stored.pop(_FINGERPRINT, fingerprint) != fingerprint:
        raise KeyReused(f"idempotency key {key!r} was used with a different request; "
                        "its first result stands: send new figures with a new key")
    return stored


def remember_result(session: AsyncSession, key: str, subject: str, operation: str,
                    fingerprint: str, result: dict[str, Any]) -> None:
    session.add(IdempotencyRecord(key=key, subject=subject, operation=operation,
                                  result={**result, _FINGERPRINT: fingerprint}))


async def history(db: Database, indicator_code: str, area_code: str,
                  period: str) -> list[Any]:
    """Every revision of one figure, oldest first."""
    statement = (select(_OBS).where(_OBS.c.indicator_code == indicator_code,
                                    _OBS.c.area_code == area_code, _OBS.c.period == period)
                 .order_by(_OBS.c.revision))
    async with db.engine.connect() as conn:
        return list((await conn.execute(statement)).mappings())
