"""Two syncs of the same source at once (two replicas) write each revision once.

On PostgreSQL the replicas are two engines on one database, as two gateway processes are; a
SQLite file is served by one process, so there the two syncs share its engine.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from areagraph.connectors.local.database import Database
from areagraph.domain.figures.sync.flow import SyncScope, sync_source
from tests.conftest import Gateway
from tests.connectors.sources.conftest import Simulators
from tests.databases import BACKENDS
from tests.domain.figures.sync.sync_helpers import stored

OCTOBER = SyncScope(("34",), date(2025, 10, 1), date(2025, 10, 31))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_two_replicas_syncing_at_once_write_each_revision_once(
        gateway: Gateway, sims: Simulators) -> None:
    services = gateway.services
    source = services.sources.get("pwa")
    assert source is not None
    other = (services.database if services.database.is_sqlite
             else Database(services.settings.async_database_url))
    try:
        replicas = (services.database, other)
        first = await asyncio.gather(*(sync_source(source, db, OCTOBER) for db in replicas))
        assert all(r.ok for r in first)
        assert sorted(r.written for r in first) == [0, 2 * 245]  # one wrote, one found it done
        sims.figures("pwa", {"coverage_pct|3401|2568-10": 91.25})
        second = await asyncio.gather(*(sync_source(source, db, OCTOBER) for db in replicas))
        assert sorted(r.written for r in second) == [0, 1]
    finally:
        if other is not services.database:
            await other.dispose()
    rows = await stored(gateway, "source = 'pwa'")
    assert len(rows) == 2 * 245 + 1
    keys = [(r["indicator_code"], r["area_code"], r["period"], r["revision"]) for r in rows]
    assert len(set(keys)) == len(keys)
    current = [r for r in rows if r["is_current"]]
    assert len(current) == 2 * 245
    changed = [r for r in rows if r["area_code"] == "3401"
               and r["indicator_code"] == "WATER_COVERAGE_PCT"]
    assert [(r["revision"], r["is_current"]) for r in changed] == [(1, False), (2, True)]
    assert changed[1]["value"] == 91.25
