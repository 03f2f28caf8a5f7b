"""Units of work for writes that must not interleave: same figure, same idempotency key.

A revision is "read the current one, write the next", so two writers of the same figure must
take turns or both write revision N+1. PostgreSQL: transaction-scoped advisory locks on the
given keys, taken in sorted order so two writers never wait on each other in a cycle. SQLite
has no such locks and lets one writer in at a time anyway, so this process's SQLite writers
take turns on an asyncio lock (which also spares them "database is locked" when a transaction
that began by reading tries to write after another writer committed); one gateway process per
SQLite file is how SQLite is deployed (demo, tests).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.connectors.local.database import Database

_SQLITE_WRITERS: WeakKeyDictionary[Database, asyncio.Lock] = WeakKeyDictionary()


def lock_id(key: str) -> int:
    """A stable signed 64-bit id for an advisory lock."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                          signed=True)


@asynccontextmanager
async def locked_unit_of_work(db: Database, keys: Iterable[str]) -> AsyncIterator[AsyncSession]:
    """`db.unit_of_work()` holding the locks for `keys` until it commits or rolls back."""
    if db.is_sqlite:
        lock = _SQLITE_WRITERS.setdefault(db, asyncio.Lock())
        async with lock, db.unit_of_work() as session:
            yield session
        return
    async with db.unit_of_work() as session:
        for ident in sorted({lock_id(k) for k in keys}):
            await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ident})
        yield session
