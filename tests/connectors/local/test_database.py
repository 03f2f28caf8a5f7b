"""The store is built from plain values: its URL (with the async driver) and pool sizes."""

from __future__ import annotations

from pathlib import Path

from areagraph.connectors.local.database import Database


async def test_a_sqlite_store_from_its_url_answers(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    try:
        assert database.is_sqlite
        assert await database.ping()
    finally:
        await database.dispose()


async def test_a_postgresql_store_takes_its_pool_sizes() -> None:
    # No connection is made until one is needed.
    database = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", pool_size=3,
                        max_overflow=1)
    try:
        assert not database.is_sqlite
        assert database.engine.pool.size() == 3  # type: ignore[attr-defined]
        assert not await database.ping()  # nothing listens there
    finally:
        await database.dispose()
