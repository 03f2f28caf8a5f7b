"""Each source's last sync, kept in the store so every replica reports the same health."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import SourceSync
from areagraph.core.clock import utcnow

_SYNC = SourceSync.__table__  # type: ignore[attr-defined]
MAX_KEPT_REJECTED = 500  # rows listed per source; the count says how many there were


async def save_success(db: Database, source: str, written: int, unchanged: int,
                       rejected: Sequence[dict[str, str]]) -> None:
    now = utcnow()
    await _upsert(db, {"source": source, "attempted_at": now, "succeeded_at": now,
                       "failed": False, "error": None, "written": written,
                       "unchanged": unchanged, "rejected": list(rejected[:MAX_KEPT_REJECTED])})


async def save_failure(db: Database, source: str, error: str) -> None:
    """A failed sync keeps the last success's time and counts: its figures are now stale."""
    await _upsert(db, {"source": source, "attempted_at": utcnow(), "failed": True,
                       "error": error[:1000]},
                  defaults={"succeeded_at": None, "written": 0, "unchanged": 0, "rejected": []})


async def _upsert(db: Database, values: dict[str, Any],
                  defaults: dict[str, Any] | None = None) -> None:
    dialect = sqlite if db.is_sqlite else postgresql
    statement = dialect.insert(_SYNC).values({**(defaults or {}), **values})
    statement = statement.on_conflict_do_update(
        index_elements=[_SYNC.c.source],
        set_={k: v for k, v in values.items() if k != "source"})
    async with db.unit_of_work() as session:
        await session.execute(statement)


async def sync_states(db: Database) -> dict[str, Any]:
    """The last sync of every source that was ever synced, by source name."""
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(_SYNC))).mappings()
        return {r["source"]: r for r in rows}
