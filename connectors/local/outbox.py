"""The transactional outbox: events are rows written in the same transaction as their change.

A relay publishes unpublished rows to the broker; a row's id is the event id clients resume from.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import Engine, event, false, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import OutboxEvent

_PENDING = "areagraph.outbox_pending"
_ORDERED = "areagraph.outbox_ordered"
# Any fixed 64-bit numbers: the advisory lock that puts event ids in commit order, and the one
# a relay holds while it claims and publishes (so batches leave in id order across replicas).
_OUTBOX_LOCK = 0x6F7574626F78
_RELAY_LOCK = 0x6F7574626F79
_commit_listeners: weakref.WeakKeyDictionary[Engine, list[Callable[[], None]]] = (
    weakref.WeakKeyDictionary())


class EventKind(StrEnum):
    OBSERVATION_RECORDED = "observation_recorded"
    COMPLAINT_UPDATED = "complaint_updated"
    PROJECT_UPDATED = "project_updated"
    SOURCE_EVENT = "source_event"
    ALERT_RAISED = "alert_raised"


def enqueue(session: AsyncSession, kind: EventKind, area_code: str,
            payload: dict[str, Any]) -> OutboxEvent:
    """Add an event to the caller's transaction; it is published only if that commits."""
    event = OutboxEvent(kind=kind.value, area_code=area_code, payload=payload)
    session.add(event)
    session.info[_PENDING] = True
    return event


@dataclass(frozen=True, slots=True)
class Event:
    """A committed outbox event as subscribers receive it."""

    id: int
    kind: str
    area_code: str
    payload: dict[str, Any]
    created_at: datetime

    @classmethod
    def from_row(cls, row: OutboxEvent) -> Event:
        assert row.id is not None
        return cls(row.id, row.kind, row.area_code, row.payload, row.created_at)

    def to_json(self) -> bytes:
        return orjson.dumps({"id": self.id, "kind": self.kind, "area_code": self.area_code,
                             "payload": self.payload, "created_at": self.created_at})

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Event:
        return cls(int(doc["id"]), doc["kind"], doc["area_code"], doc["payload"],
                   datetime.fromisoformat(doc["created_at"]))


def on_outbox_commit(database: Database, callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` after each commit that enqueued events; returns the function to stop."""
    engine = database.engine.sync_engine
    callbacks = _commit_listeners.setdefault(engine, [])
    callbacks.append(callback)

    def stop() -> None:
        if callback in callbacks:
            callbacks.remove(callback)

    return stop


@event.listens_for(Session, "before_flush")
def _ids_in_commit_order(session: Session, _context: Any, _instances: Any) -> None:
    """On PostgreSQL, hold a transaction lock from the flush that numbers an event to commit.

    Without it two writers can commit ids out of order (N+1 before N): a subscriber that saw
    N+1 and resumes with `since: N+1` would never get N. SQLite has one writer at a time.
    """
    if (session.info.get(_PENDING) and not session.info.get(_ORDERED)
            and session.get_bind().dialect.name == "postgresql"):
        session.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": _OUTBOX_LOCK})
        session.info[_ORDERED] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_ORDERED, None)
    if session.info.pop(_PENDING, False) and isinstance(session.bind, Engine):
        for callback in list(_commit_listeners.get(session.bind, ())):
            callback()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_ORDERED, None)


async def take_relay_turn(session: AsyncSession) -> None:
    """Wait until no other relay (in any process) is between claiming and publishing, and hold
    the turn until this transaction ends.

    Two relays publishing batches side by side would let event 501 out before event 500, and a
    client resuming from 501 would never get 500. On PostgreSQL a transaction advisory lock;
    on SQLite the database's write lock, taken at once by an update that changes nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _RELAY_LOCK})
    else:
        await session.execute(update(OutboxEvent).where(false()).values(published_at=None))


async def claim_unpublished(session: AsyncSession, limit: int) -> list[OutboxEvent]:
    """The oldest unpublished events (call `take_relay_turn` first in the same transaction)."""
    statement = (select(OutboxEvent).where(col(OutboxEvent.published_at).is_(None))
                 .order_by(col(OutboxEvent.id)).limit(limit))
    return list((await session.execute(statement)).scalars())


async def mark_published(session: AsyncSession, ids: Sequence[int], at: datetime) -> None:
    await session.execute(update(OutboxEvent).where(col(OutboxEvent.id).in_(ids))
                          .values(published_at=at))


async def events_after(database: Database, since_id: int, kinds: Sequence[str],
                       limit: int) -> list[Event]:
    """Committed events of these kinds after `since_id`, oldest first (a page of them)."""
    statement = (select(OutboxEvent)
                 .where(col(OutboxEvent.id) > since_id, col(OutboxEvent.kind).in_(kinds))
                 .order_by(col(OutboxEvent.id)).limit(limit))
    async with database.session() as session:
        return [Event.from_row(r) for r in (await session.execute(statement)).scalars()]


async def events_to_catch_up(database: Database, after_id: int, limit: int) -> list[Event]:
    """A page of what a process may have missed while cut off from the broker: the events after
    the last it saw, oldest first (one relay at a time publishes in id order, so nothing it
    missed has a smaller id)."""
    statement = (select(OutboxEvent).where(col(OutboxEvent.id) > after_id)
                 .order_by(col(OutboxEvent.id)).limit(limit))
    async with database.session() as session:
        return [Event.from_row(r) for r in (await session.execute(statement)).scalars()]


async def latest_event_id(database: Database) -> int:
    async with database.session() as session:
        statement = select(col(OutboxEvent.id)).order_by(col(OutboxEvent.id).desc()).limit(1)
        return (await session.execute(statement)).scalar_one_or_none() or 0
