"""Roll-up benchmark: all 77 provinces of one indicator and period over ~1M observations.

Run by hand against PostgreSQL (not part of CI's pass/fail):

    .venv/bin/python benchmarks/rollup.py [--admin-url postgresql://postgres@127.0.0.1:5432/test]
                                          [--months 36] [--repeat 30] [--keep]

It creates its own database, migrates it, seeds the DOPA tree, loads figures for every
subdistrict (four monthly indicators over `--months` months plus population, about 1.1M rows
at 36 months, with a tenth of the figures revised once so not every row is current) with COPY,
and then times what one request does for the roll-up: the per-request loaders (indicator lookup,
the coverage denominators and the grouped statement) for the 77 provinces, for each
aggregation rule. It prints median and 95th percentile beside the 50 ms target, and the grouped
statement's own execution time inside PostgreSQL (EXPLAIN ANALYZE), which does not move with
the load of the machine the benchmark runs on.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import date

from sqlalchemy import create_engine, text

from areagraph.connectors.local.database import Database
from areagraph.connectors.local.figures import catalog as catalog_store
from areagraph.connectors.local.figures import rollups
from areagraph.connectors.local.seed import area_rows, seed_reference
from areagraph.core.settings import Settings
from areagraph.migrations.run import upgrade_to_head
from areagraph.resolvers.figure_loaders import (
    AreasBelowByCodeLoader,
    RollupByIndicatorPeriodAreaLoader,
)
from areagraph.resolvers.loaders import AreaByCodeLoader, IndicatorByCodeLoader

TARGET_MS = 50.0
MONTHLY = ("DROUGHT_AFFECTED_HH", "FLOOD_AFFECTED_HH", "SAFE_WATER_PCT", "FLOOD_WATER_LEVEL_M")
CASES = (  # indicator, rule
    ("DROUGHT_AFFECTED_HH", "sum"),
    ("SAFE_WATER_PCT", "weighted_mean (population)"),
    ("FLOOD_WATER_LEVEL_M", "max"),
)


def _admin(url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=url).sync_database_url,
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _months(count: int) -> list[date]:
    out, year, month = [], 2023, 10
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _rows(subdistricts: list[str], months: list[date]) -> Iterator[str]:
    """Tab-separated COPY lines in the order figures arrive: a period at a time.

    Every tenth figure has an older, superseded revision.
    """
    stamp = "2026-10-01 00:00:00+00"
    factors = {code: (int(code) * 2654435761 % 2**32) / 2**32 for code in subdistricts}
    for fy in (2024, 2025, 2026):
        for code, f in factors.items():
            yield (f"POPULATION\t{code}\tFY{fy}\t{fy - 1}-10-01\t{round(1000 + f * 9000)}\t1\tt"
                   f"\tlocal\tbenchmark\t{stamp}\n")
    for m in months:
        label = f"{m.year:04d}-{m.month:02d}"
        for n, (code, f) in enumerate(factors.items()):
            values = (round(f * 300), round((1 - f) * 200), round(75 + f * 25, 2),
                      round(f * 3 - 0.5, 2))
            for indicator, value in zip(MONTHLY, values, strict=True):
                revised = (n + m.month) % 10 == 0
                if revised:
                    yield (f"{indicator}\t{code}\t{label}\t{m}\t{value}\t1\tf\tlocal"
                           f"\tbenchmark\t{stamp}\n")
                yield (f"{indicator}\t{code}\t{label}\t{m}\t{value}\t{2 if revised else 1}"
                       f"\tt\tlocal\tbenchmark\t{stamp}\n")


def load(url: str, months: int) -> int:
    settings = Settings(database_url=url)
    upgrade_to_head(settings)
    engine = create_engine(settings.sync_database_url)
    seed_reference(engine)
    subdistricts = sorted(r["code"] for r in area_rows() if r["level"] == "subdistrict")
    buffer = io.StringIO()
    buffer.writelines(_rows(subdistricts, _months(months)))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = ("indicator_code, area_code, period, period_start, value, revision, is_current, "
                   "source, recorded_by, recorded_at")
        with cursor.copy(f"COPY observation ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("ANALYZE observation")
        cursor.execute("SELECT count(*) FROM observation")
        found = cursor.fetchone()
        total = int(found[0]) if found else 0
        raw.commit()
    finally:
        raw.close()
    engine.dispose()
    return total


async def _one_request(db: Database, indicator: str, period: str, provinces: list[str]) -> float:
    indicators = IndicatorByCodeLoader(db)
    loader = RollupByIndicatorPeriodAreaLoader(db, indicators, AreasBelowByCodeLoader(db))
    started = time.perf_counter()
    found = await loader.load_many([(indicator, period, p) for p in provinces])
    elapsed = (time.perf_counter() - started) * 1000
    assert len(found) == len(provinces) and all(r.value is not None for r in found)
    return elapsed


async def _database_ms(db: Database, indicator: str, period: str, provinces: list[str]) -> float:
    """The grouped statement's execution time inside PostgreSQL (EXPLAIN ANALYZE)."""
    row = (await catalog_store.indicators_by_codes(db, [indicator]))[indicator]
    weight = None
    if row["weight_code"]:
        weight = (await catalog_store.indicators_by_codes(db, [row["weight_code"]]))[
            row["weight_code"]]["period_type"]
    statement = rollups.stats_statement(row, weight, [period], provinces)
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    async with db.engine.connect() as conn:
        plan = (await conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}"))).scalar()
    document = json.loads(plan) if isinstance(plan, str) else plan
    assert isinstance(document, list)
    return float(document[0]["Execution Time"])


async def measure(url: str, period: str, repeat: int) -> None:
    db = Database(Settings(database_url=url).async_database_url)
    try:
        provinces = sorted(r["code"] for r in area_rows() if r["level"] == "province")
        await AreaByCodeLoader(db).load("TH")  # open the pool before timing
        print(f"\n{'indicator':<22} {'rule':<28} {'median ms':>10} {'p95 ms':>8} "
              f"{'in db ms':>9} {'target':>7} {'ratio':>6}")
        for indicator, rule in CASES:
            await _one_request(db, indicator, period, provinces)  # warm the caches
            times = sorted([await _one_request(db, indicator, period, provinces)
                            for _ in range(repeat)])
            median = statistics.median(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            in_db = await _database_ms(db, indicator, period, provinces)
            print(f"{indicator:<22} {rule:<28} {median:>10.1f} {p95:>8.1f} {in_db:>9.1f} "
                  f"{TARGET_MS:>7.0f} {median / TARGET_MS:>6.2f}")
        print(f"(one request: indicator lookup, coverage from the cached area census and the "
              f"grouped statement for the {len(provinces)} provinces; load average "
              f"{os.getloadavg()[0]:.1f})")
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    name = f"ag_rollup_bench_{uuid.uuid4().hex[:8]}"
    base = args.admin_url.rpartition("/")[0]
    url = f"{base}/{name}"
    _admin(args.admin_url, f'CREATE DATABASE "{name}"')
    try:
        started = time.perf_counter()
        total = load(url, args.months)
        print(f"loaded {total:,} observations into {name} in "
              f"{time.perf_counter() - started:.1f} s")
        asyncio.run(measure(url, args.period, args.repeat))
    finally:
        if not args.keep:
            _admin(args.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
