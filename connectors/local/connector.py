"""Our own database as one connector among the others: figures officials recorded here."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from areagraph.connectors.base import (
    EventRequest,
    Fetched,
    IndicatorValue,
    Provides,
    SourceEvent,
    ValueRequest,
)
from areagraph.connectors.config import SourceConfig
from areagraph.connectors.local.catalogue import indicators
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import Observation
from areagraph.core.clock import utcnow
from areagraph.core.periods import PeriodError, parse_period

_OBS = Observation.__table__  # type: ignore[attr-defined]
_LONGEST_PERIOD = timedelta(days=366)


class LocalConnector:
    """Current revisions of locally recorded indicators, one statement per fetch."""

    def __init__(self, config: SourceConfig, database: Database) -> None:
        self.name = config.name
        self.agency = config.agency or "OPS"
        codes = frozenset(i.code for i in indicators() if i.source == "local")
        if config.provides is not None:
            codes &= frozenset(config.provides)
        self.provides = Provides(indicators=codes)
        self._db = database

    async def fetch_values(self, request: ValueRequest) -> Fetched[IndicatorValue]:
        fetched: Fetched[IndicatorValue] = Fetched()
        wanted = sorted(set(request.indicator_codes) & self.provides.indicators)
        if not wanted or not request.area_codes:
            return fetched
        statement = select(_OBS.c.area_code, _OBS.c.indicator_code, _OBS.c.period,
                           _OBS.c.value).where(
            _OBS.c.indicator_code.in_(wanted),
            _OBS.c.area_code.in_(sorted(set(request.area_codes))),
            _OBS.c.is_current.is_(True),
            _OBS.c.period_start <= request.end,
            _OBS.c.period_start >= request.start - _LONGEST_PERIOD,
        ).order_by(_OBS.c.area_code, _OBS.c.indicator_code, _OBS.c.period_start)
        fetched_at = utcnow()
        async with self._db.engine.connect() as conn:
            for area_code, indicator_code, period, value in await conn.execute(statement):
                try:
                    if parse_period(period).end < request.start:
                        continue
                except PeriodError:
                    continue
                fetched.add(IndicatorValue(
                    area_code=area_code, indicator_code=indicator_code, period=period,
                    value=value, source=self.name, fetched_at=fetched_at))
        return fetched

    async def fetch_events(self, request: EventRequest) -> Fetched[SourceEvent]:
        return Fetched()

    async def check(self) -> None:
        async with self._db.engine.connect() as conn:
            await conn.execute(select(1))

    async def aclose(self) -> None:
        """The database belongs to the app, which disposes of it."""


def build(config: SourceConfig, deps: object) -> LocalConnector:
    database = getattr(deps, "database", None)
    if not isinstance(database, Database):
        raise ValueError("the local connector needs the gateway's database")
    return LocalConnector(config, database)
