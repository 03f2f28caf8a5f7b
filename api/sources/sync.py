"""Source syncs on each source's cadence: every replica ticks, one runs each sync per interval.

The interval lock is the polling one (Redis across replicas); should two replicas still sync a
source at once, the figure locks and the revision constraint keep each revision single.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from sqlalchemy.exc import SQLAlchemyError

from areagraph.api.sources.polling import Poll, PollingSync, interval_lock
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.connectors.resilient import ResilientSource
from areagraph.domain.figures.sync.flow import recent_scope, sync_source, syncable

log = logging.getLogger("areagraph.sync")


def _sync_of(source: ResilientSource, database: Database) -> Poll:
    async def run() -> int:
        try:
            report = await sync_source(source, database,
                                       recent_scope(source.config.sync_fiscal_years))
        except SQLAlchemyError as error:  # the store is down: try again next interval
            log.warning("sync of %s could not write: %s", source.name, error)
            return 0
        return report.written

    return run


def build_source_syncs(registry: SourceRegistry, database: Database, redis: Redis | None,
                       prefix: str) -> list[PollingSync]:
    """One timer per source with a `sync_interval`; none when no source has one."""
    lock = interval_lock(redis, f"{prefix}sync:")
    return [PollingSync({f"figures:{s.name}": _sync_of(s, database)}, lock,
                        s.config.sync_interval)
            for s in registry if syncable(s) and s.config.sync_interval > 0]
