"""Syncing a source's figures into the store: one province per fetch and per transaction.

Whatever a connector `provides` is synced, with no code per indicator: the areas of a province
(itself, its districts and subdistricts) are asked for every indicator the source provides over
the window, straight from the source (past the answer cache, behind its retries and circuit).
Rows that pass `checks` are recorded as revisions with the source's name, under the figure
locks, so two replicas syncing the same source at once write each revision once; the rest are
listed. A failure stops the sync, keeps every figure already in the store, and marks the
source's figures stale until a sync succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from areagraph.connectors.base import ValueRequest
from areagraph.connectors.local import areas
from areagraph.connectors.local.area_tree import AreaTree
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.connectors.local.figures.observation_writes import figure_lock_keys
from areagraph.connectors.local.write_lock import locked_unit_of_work
from areagraph.connectors.resilient import ResilientSource
from areagraph.core.area_codes import province_of
from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.errors import AppError
from areagraph.core.periods import fiscal_year_of, fiscal_year_period
from areagraph.domain.figures.recording import record_figures
from areagraph.domain.figures.sync import checks, state

log = logging.getLogger("areagraph.sync")
SYNCED_BY = "sync:"  # + the source's name: who recorded a synced revision


@dataclass(frozen=True)
class SyncScope:
    """The provinces (all when empty) and the days whose periods are synced."""

    provinces: tuple[str, ...]
    start: date
    end: date


def recent_scope(fiscal_years: int, provinces: Iterable[str] = (),
                 today: date | None = None) -> SyncScope:
    """The last `fiscal_years` fiscal years up to today (Bangkok): what a routine sync asks."""
    day = today or to_bangkok(utcnow()).date()
    first = fiscal_year_period(fiscal_year_of(day) - fiscal_years + 1).start
    return SyncScope(tuple(sorted(set(provinces))), first, day)


@dataclass
class SyncReport:
    source: str
    ok: bool = True
    error: str | None = None
    provinces: int = 0
    written: int = 0
    unchanged: int = 0
    rejected: list[checks.Rejected] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "ok": self.ok, "error": self.error,
                "provinces": self.provinces, "written": self.written,
                "unchanged": self.unchanged, "rejectedCount": len(self.rejected),
                "rejected": [r.to_json() for r in self.rejected[:state.MAX_KEPT_REJECTED]]}


def syncable(source: ResilientSource) -> bool:
    """Sources whose figures live elsewhere; the local store is where they are synced to."""
    return source.config.kind != "local" and bool(source.provides.indicators)


async def sync_source(source: ResilientSource, db: Database, scope: SyncScope) -> SyncReport:
    report = SyncReport(source.name)
    if not syncable(source):
        return report
    codes = tuple(sorted(source.provides.indicators))
    catalogue = await catalog_store.indicators_by_codes(db, codes)
    topics = {code: row["topic"] for code, row in catalogue.items()}
    tree = await areas.tree(db)
    provinces = scope.provinces or tuple(r["code"] for r in tree.children_of(["TH"]).get("TH", []))
    today = to_bangkok(utcnow()).date()
    end = min(scope.end, today)
    for province in provinces:
        wanted = _areas_of(tree, province)
        if not wanted:
            continue
        try:
            fetched = await source.fresh_values(ValueRequest(tuple(wanted), codes, scope.start,
                                                             end))
        except AppError as error:
            report.ok, report.error = False, f"{error.code}: {error.message}"
            break
        rows = [row for found in fetched.rows.values() for row in found]
        figures, rejected = checks.sort_rows(rows, catalogue, frozenset(wanted), today)
        report.rejected += checks.unmapped(fetched.unmapped) + rejected
        async with locked_unit_of_work(db, figure_lock_keys(figures)) as session:
            outcome, _ = await record_figures(session, figures, SYNCED_BY + source.name,
                                              topics, source=source.name)
        report.provinces += 1
        report.written += len(outcome.written)
        report.unchanged += outcome.unchanged
    if report.ok:
        await state.save_success(db, source.name, report.written, report.unchanged,
                                 [r.to_json() for r in report.rejected])
    else:
        log.warning("sync of %s failed after %d provinces: %s", source.name,
                    report.provinces, report.error)
        await state.save_failure(db, source.name, report.error or "failed")
    return report


def _areas_of(tree: AreaTree, province: str) -> list[str]:
    """A province and every district and subdistrict in it."""
    if tree.get(province) is None:
        return []
    districts = [r["code"] for r in tree.children_of([province]).get(province, [])]
    subdistricts = [r["code"] for rows in tree.children_of(districts).values() for r in rows]
    return [province, *districts, *subdistricts]


def provinces_of_areas(codes: Iterable[str]) -> tuple[str, ...]:
    """The provinces holding these areas (a change anywhere in a province changes its sums)."""
    return tuple(sorted({p for c in codes if (p := province_of(c)) is not None}))

