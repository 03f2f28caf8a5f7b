"""Resolvers run with a context of plain values: no gateway, no settings object."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local.database import Database
from areagraph.core.settings import Settings
from areagraph.resolvers.context import Context, ResolverSettings
from areagraph.resolvers.event_feed import Subscription
from areagraph.schema import build_schema

ADMIN = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.async_database_url)
    yield database
    await database.dispose()


async def test_a_query_runs_on_a_plain_context(database: Database) -> None:
    context = Context(ADMIN, database, settings=ResolverSettings(max_page_size=2))
    result = await build_schema().execute(
        '{ me { subject } areas(level: PROVINCE, first: 2) { edges { node { code } } } }',
        context_value=context)
    assert result.errors is None
    assert result.data is not None
    assert result.data["me"] == {"subject": "admin"}
    assert len(result.data["areas"]["edges"]) == 2


async def test_the_page_size_limit_comes_from_the_context(database: Database) -> None:
    context = Context(ADMIN, database, settings=ResolverSettings(max_page_size=2))
    result = await build_schema().execute('{ areas(level: PROVINCE, first: 3) { totalCount } }',
                                          context_value=context)
    assert result.errors is not None
    assert result.errors[0].original_error is not None


class _Hub:
    def __init__(self) -> None:
        self.subscriptions: set[Subscription] = set()
        self.added = asyncio.Event()

    def add(self, subscription: Subscription) -> None:
        self.subscriptions.add(subscription)
        self.added.set()

    def remove(self, subscription: Subscription) -> None:
        self.subscriptions.discard(subscription)


async def test_subscriptions_register_with_the_hub_they_are_given(database: Database) -> None:
    hub = _Hub()
    context = Context(ADMIN, database, events=hub)
    stream: Any = await build_schema().subscribe(
        'subscription { observationRecorded(areaCode: "34") { eventId } }',
        context_value=context)
    waiting = asyncio.ensure_future(stream.__anext__())
    try:
        await asyncio.wait_for(hub.added.wait(), 5)
        assert context.detached().events is hub
    finally:
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        await stream.aclose()
    assert hub.subscriptions == set()


async def test_without_a_hub_a_subscription_ends_at_once(database: Database) -> None:
    stream: Any = await build_schema().subscribe(
        'subscription { observationRecorded(areaCode: "34") { eventId } }',
        context_value=Context(ADMIN, database))
    result = await stream.__anext__()
    assert result.errors is not None
    assert "not available" in result.errors[0].message
