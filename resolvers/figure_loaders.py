"""Per-request loaders of monitoring figures: roll-ups, coverage denominators, targets, the
current revision of a figure and each source's last sync.

Keys from a whole query level are batched: all children ranked by one indicator, or every key
indicator of a dashboard, become one grouped statement per indicator and level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from aiodataloader import DataLoader

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import observations, rollups, targets
from areagraph.connectors.local.figures.catalog import IndicatorRow
from areagraph.connectors.local.figures.observations import ObservationRow
from areagraph.connectors.local.figures.rollups import LevelStats
from areagraph.core.area_codes import depth_of
from areagraph.domain.figures.aggregation import Rollup, base_depth, combine
from areagraph.domain.figures.sync import state

RollupKey = tuple[str, str, str]  # indicator code, period label, area code


class AreasBelowByCodeLoader(DataLoader[str, dict[int, int]]):
    """How many areas lie under each area, per depth."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, codes: Sequence[str]) -> list[dict[int, int]]:
        found = await rollups.areas_below(self._db, codes)
        return [found.get(code, {}) for code in codes]


class RollupByIndicatorPeriodAreaLoader(DataLoader[RollupKey, Rollup]):
    """An area's value for an indicator and period, its own or computed from below."""

    def __init__(self, db: Database, indicators: DataLoader[str, IndicatorRow | None],
                 areas_below: AreasBelowByCodeLoader) -> None:
        super().__init__()
        self._db = db
        self._indicators = indicators
        self._areas_below = areas_below

    async def batch_load_fn(self, keys: Sequence[RollupKey]) -> list[Rollup]:
        by_indicator: dict[str, list[RollupKey]] = defaultdict(list)
        for key in keys:
            by_indicator[key[0]].append(key)
        codes = list(by_indicator)
        rows = dict(zip(codes, await self._indicators.load_many(codes), strict=True))
        weights = [r["weight_code"] for r in rows.values() if r and r["weight_code"]]
        weight_rows = dict(zip(weights, await self._indicators.load_many(weights), strict=True))
        parents = sorted({k[2] for k in keys})
        below = dict(zip(parents, await self._areas_below.load_many(parents), strict=True))
        found: dict[RollupKey, Rollup] = {}
        for code, group in by_indicator.items():
            indicator = rows[code]
            if indicator is None:
                continue
            weight = weight_rows.get(indicator["weight_code"] or "")
            stats = await rollups.rollup_stats(
                self._db, indicator, weight["period_type"] if weight else None,
                sorted({k[1] for k in group}), sorted({k[2] for k in group}))
            for key in group:
                found[key] = _combine(indicator, stats.get((key[2], key[1]), []), key[2],
                                      below[key[2]])
        return [found.get(k, Rollup(None, 0, 0, depth_of(k[2]), own=False)) for k in keys]


def _combine(indicator: IndicatorRow, groups: list[LevelStats], area_code: str,
             expected: dict[int, int]) -> Rollup:
    return combine(indicator["aggregation"], groups, depth_of(area_code), expected,
                   base_depth(indicator["entry_levels"]), indicator["unit"] == "percent")


class TargetByKeyLoader(DataLoader[targets.TargetKey, float | None]):
    """The target value per (indicator, area, fiscal year); None when no target is set."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[targets.TargetKey]) -> list[float | None]:
        found = await targets.targets_by_keys(self._db, keys)
        return [None if found.get(k) is None else float(found[k]["value"]) for k in keys]


FigureKey = tuple[str, str, str]  # indicator code, period label, area code


class CurrentObservationByKeyLoader(DataLoader[FigureKey, ObservationRow | None]):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[FigureKey]) -> list[ObservationRow | None]:
        found = await observations.current_by_keys(self._db, keys)
        return [found.get(k) for k in keys]


class SyncStateBySourceLoader(DataLoader[str, Any]):
    """Each source's last sync (None for the local store and sources never synced)."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, names: Sequence[str]) -> list[Any]:
        found = await state.sync_states(self._db)
        return [found.get(n) for n in names]
