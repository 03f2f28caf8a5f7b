"""What domain flows are given when a test calls them outside a request: catalogue look-ups
straight from the store, and an audit recorder named by the operation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth import audit
from areagraph.auth.principal import Principal
from areagraph.connectors.local import areas
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.domain.ports import AuditRecorder

Fetch = Callable[[Database, Sequence[str]], Awaitable[dict[str, Any]]]


class StoreLookup:
    """Rows by code, one statement per call (a request's loaders batch and cache instead)."""

    def __init__(self, db: Database, fetch: Fetch) -> None:
        self._db = db
        self._fetch = fetch

    async def load(self, key: str) -> Any:
        return (await self._fetch(self._db, [key])).get(key)

    async def load_many(self, keys: Iterable[str]) -> list[Any]:
        wanted = list(keys)
        found = await self._fetch(self._db, wanted)
        return [found.get(k) for k in wanted]


def areas_of(db: Database) -> StoreLookup:
    return StoreLookup(db, areas.areas_by_codes)


def agencies_of(db: Database) -> StoreLookup:
    return StoreLookup(db, catalog_store.agencies_by_codes)


def categories_of(db: Database) -> StoreLookup:
    return StoreLookup(db, catalog_store.categories_by_codes)


def indicators_of(db: Database) -> StoreLookup:
    return StoreLookup(db, catalog_store.indicators_by_codes)


def audited(operation: str) -> AuditRecorder:
    """An audit recorder for writes made outside GraphQL, named by `operation`."""

    def record(session: AsyncSession, principal: Principal,
               changes: list[dict[str, Any]]) -> None:
        audit.record(session, principal, operation=operation, query="", changes=changes)

    return record
