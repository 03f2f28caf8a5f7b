"""Per-request DataLoaders: one batch statement per level of a query, never one per row.

Loaders are built for each request (in the context), never shared: a shared loader would cache
one caller's answers for another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from aiodataloader import DataLoader

from areagraph.connectors.local import areas, catalog_store, complaints, observations, projects
from areagraph.connectors.local.database import Database
from areagraph.resolvers.monitoring_loaders import (
    AreasBelowByCodeLoader,
    RollupByIndicatorPeriodAreaLoader,
    TargetByKeyLoader,
)
from areagraph.resolvers.provenance import CurrentObservationByKeyLoader, SyncStateBySourceLoader

K = TypeVar("K")
V = TypeVar("V")


class _ByKeyLoader(DataLoader[K, V]):
    """Loads many keys with one call that returns a mapping; missing keys get `default`."""

    def __init__(self, fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]],
                 default: Any = None) -> None:
        super().__init__()
        self._fetch = fetch
        self._default = default

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V]:
        found = await self._fetch(keys)
        return [found.get(k, self._default() if callable(self._default) else self._default)
                for k in keys]


class AreaByCodeLoader(_ByKeyLoader[str, Any]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: areas.areas_by_codes(db, codes))


class ChildrenByParentCodeLoader(_ByKeyLoader[str, list[Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: areas.children_by_parent_codes(db, codes), list)


class IndicatorByCodeLoader(_ByKeyLoader[str, Any]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.indicators_by_codes(db, codes))


class AgencyByCodeLoader(_ByKeyLoader[str, Any]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.agencies_by_codes(db, codes))


class CategoryByCodeLoader(_ByKeyLoader[str, Any]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.categories_by_codes(db, codes))


class ProjectAreasByProjectLoader(_ByKeyLoader[str, list[Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.area_codes_by_projects(db, codes), list)


class ProjectIndicatorsByProjectLoader(_ByKeyLoader[str, list[Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.indicator_codes_by_projects(db, codes), list)


class MilestonesByProjectLoader(_ByKeyLoader[str, list[Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.milestones_by_projects(db, codes), list)


class TransitionsByComplaintLoader(_ByKeyLoader[int, list[Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda ids: complaints.transitions_by_complaints(db, ids), list)


ObservationKey = tuple[str, str, date | None, date | None]  # area, indicator, from, to


class ObservationsByAreaLoader(DataLoader[ObservationKey, list[Any]]):
    """Current observations per (area, indicator, range): one statement per distinct range."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[ObservationKey]) -> list[list[Any]]:
        groups: dict[tuple[str, date | None, date | None], list[str]] = {}
        for area, indicator, start, end in keys:
            groups.setdefault((indicator, start, end), []).append(area)
        found: dict[ObservationKey, list[Any]] = {}
        for (indicator, start, end), area_codes in groups.items():
            rows = await observations.current_by_areas(self._db, area_codes, indicator, start,
                                                       end)
            for area in area_codes:
                found[(area, indicator, start, end)] = rows.get(area, [])
        return [found[k] for k in keys]


class Loaders:
    """The loaders of one request."""

    def __init__(self, db: Database) -> None:
        self.area = AreaByCodeLoader(db)
        self.children = ChildrenByParentCodeLoader(db)
        self.indicator = IndicatorByCodeLoader(db)
        self.agency = AgencyByCodeLoader(db)
        self.category = CategoryByCodeLoader(db)
        self.observations = ObservationsByAreaLoader(db)
        self.project_areas = ProjectAreasByProjectLoader(db)
        self.project_indicators = ProjectIndicatorsByProjectLoader(db)
        self.milestones = MilestonesByProjectLoader(db)
        self.transitions = TransitionsByComplaintLoader(db)
        self.areas_below = AreasBelowByCodeLoader(db)
        self.rollup = RollupByIndicatorPeriodAreaLoader(db, self.indicator, self.areas_below)
        self.target = TargetByKeyLoader(db)
        self.current_observation = CurrentObservationByKeyLoader(db)
        self.sync_state = SyncStateBySourceLoader(db)
