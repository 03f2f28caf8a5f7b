"""Per-request DataLoaders: one batch statement per level of a query, never one per row.

Loaders are built for each request (in the context), never shared: a shared loader would cache
one caller's answers for another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import TypeVar

from aiodataloader import DataLoader

from areagraph.connectors.local import areas
from areagraph.connectors.local.areas import AreaRow
from areagraph.connectors.local.complaints import reads as complaints
from areagraph.connectors.local.complaints.reads import TransitionRow
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.connectors.local.figures import observations
from areagraph.connectors.local.figures.catalog import AgencyRow, CategoryRow, IndicatorRow
from areagraph.connectors.local.figures.observations import ObservationRow
from areagraph.connectors.local.projects import reads as projects
from areagraph.connectors.local.projects.reads import (
    MilestoneRow,
    ProjectAreaRow,
    ProjectIndicatorRow,
)
from areagraph.resolvers.figure_loaders import (
    AreasBelowByCodeLoader,
    CurrentObservationByKeyLoader,
    RollupByIndicatorPeriodAreaLoader,
    SyncStateBySourceLoader,
    TargetByKeyLoader,
)

K = TypeVar("K")
V = TypeVar("V")


class _ByKeyLoader(DataLoader[K, V | None]):
    """Loads many keys with one call that returns a mapping; missing keys get None."""

    def __init__(self, fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]]) -> None:
        super().__init__()
        self._fetch = fetch

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V | None]:
        found = await self._fetch(keys)
        return [found.get(k) for k in keys]


class _ListsByKeyLoader(DataLoader[K, list[V]]):
    """Loads many keys' lists with one call that returns a mapping; missing keys get []."""

    def __init__(self, fetch: Callable[[Sequence[K]], Awaitable[dict[K, list[V]]]]) -> None:
        super().__init__()
        self._fetch = fetch

    async def batch_load_fn(self, keys: Sequence[K]) -> list[list[V]]:
        found = await self._fetch(keys)
        return [found.get(k, []) for k in keys]


class AreaByCodeLoader(_ByKeyLoader[str, AreaRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: areas.areas_by_codes(db, codes))


class ChildrenByParentCodeLoader(_ListsByKeyLoader[str, AreaRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: areas.children_by_parent_codes(db, codes))


class IndicatorByCodeLoader(_ByKeyLoader[str, IndicatorRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.indicators_by_codes(db, codes))


class AgencyByCodeLoader(_ByKeyLoader[str, AgencyRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.agencies_by_codes(db, codes))


class CategoryByCodeLoader(_ByKeyLoader[str, CategoryRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: catalog_store.categories_by_codes(db, codes))


class ProjectAreasByProjectLoader(_ListsByKeyLoader[str, ProjectAreaRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.area_codes_by_projects(db, codes))


class ProjectIndicatorsByProjectLoader(_ListsByKeyLoader[str, ProjectIndicatorRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.indicator_codes_by_projects(db, codes))


class MilestonesByProjectLoader(_ListsByKeyLoader[str, MilestoneRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda codes: projects.milestones_by_projects(db, codes))


class TransitionsByComplaintLoader(_ListsByKeyLoader[int, TransitionRow]):
    def __init__(self, db: Database) -> None:
        super().__init__(lambda ids: complaints.transitions_by_complaints(db, ids))


ObservationKey = tuple[str, str, date | None, date | None]  # area, indicator, from, to


class ObservationsByAreaLoader(DataLoader[ObservationKey, list[ObservationRow]]):
    """Current observations per (area, indicator, range): one statement per distinct range."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[ObservationKey]) -> list[list[ObservationRow]]:
        groups: dict[tuple[str, date | None, date | None], list[str]] = {}
        for area, indicator, start, end in keys:
            groups.setdefault((indicator, start, end), []).append(area)
        found: dict[ObservationKey, list[ObservationRow]] = {}
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
