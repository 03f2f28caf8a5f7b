"""The local store's engine and its unit of work: one transaction, committed at the edge."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:
    from areagraph.connectors.local.area_tree import AreaTree


class Database:
    """Owns the async engine; hands out sessions that commit on success and roll back on error."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10,
                 max_overflow: int = 20) -> None:
        """`url` with its async driver (`sqlite+aiosqlite://…`, `postgresql+asyncpg://…`)."""
        self.is_sqlite = url.startswith("sqlite")
        # hide_parameters: statements in logs and errors never carry personal data
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if not self.is_sqlite:
            options.update(pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._area_tree: AreaTree | None = None
        self._area_tree_lock = asyncio.Lock()

    async def area_tree(self, read: Callable[[], Awaitable[AreaTree]]) -> AreaTree:
        """The area tree, read with `read` on first use and kept (see area_tree.py)."""
        if self._area_tree is None:
            async with self._area_tree_lock:
                if self._area_tree is None:
                    tree = await read()
                    if len(tree) == 0:
                        return tree  # not seeded yet: read again next time
                    self._area_tree = tree
        return self._area_tree

    def session(self) -> AsyncSession:
        """A session for reads; the caller closes it."""
        return self._sessions()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed when the block ends and rolled back if it raises."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Wait for locks before anything else; switching to WAL needs a moment alone with the file,
    # so only ask when the file is not in WAL mode already (it stays so once set).
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode")
    if str(cursor.fetchone()[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
