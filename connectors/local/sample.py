"""Deterministic demo data (fixed random seed): figures, targets and projects.

The figures follow the seasons (floods peak Aug–Nov, drought Feb–May) so that a dashboard over
the sample reads like a real year. Complaints are not made here: their one set is the
Damrongdhama system's (its simulator's, in a demo), brought in by a sync
(`areagraph complaints sync`, which `areagraph demo` runs). Nothing here is real data about a
real person.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Table, func, select

from areagraph.connectors.local.models import (
    AlertRule,
    Area,
    Observation,
    Project,
    ProjectArea,
    ProjectIndicator,
    Target,
)
from areagraph.core.area_codes import is_within, province_of
from areagraph.core.periods import fiscal_quarter_label, parse_period

SEED = 2569
FIRST_MONTH = date(2023, 10, 1)  # FY2024 … FY2026, 36 months
MONTHS = 36
FISCAL_YEARS = (2024, 2025, 2026)
RECORDER = "sample-seed"
_BATCH = 20_000

_STRATEGIES = [
    "ยุทธศาสตร์ที่ 1 การแก้ไขปัญหาความยากจน",
    "ยุทธศาสตร์ที่ 2 การบริหารจัดการน้ำ",
    "ยุทธศาสตร์ที่ 3 การป้องกันและบรรเทาสาธารณภัย",
    "ยุทธศาสตร์ที่ 4 การพัฒนาโครงสร้างพื้นฐาน",
]


def seed_sample(engine: Engine, provinces_only: Sequence[str] | None = None) -> dict[str, int]:
    """Add the demo data unless it is already there; return rows inserted per table.

    `provinces_only` (DOPA codes) limits it to those provinces' areas: a test-sized sample.
    """
    rng = random.Random(SEED)
    with engine.begin() as conn:
        obs = Observation.__table__  # type: ignore[attr-defined]
        has_sample = conn.execute(
            select(func.count()).select_from(obs).where(obs.c.recorded_by == RECORDER)
        ).scalar_one()
        if has_sample:
            return {}
        area = Area.__table__  # type: ignore[attr-defined]
        areas = [(code, level) for code, level in conn.execute(select(area.c.code, area.c.level))
                 if provinces_only is None or code == "TH" or province_of(code) in provinces_only]
        subdistricts = sorted(code for code, level in areas if level == "subdistrict")
        districts = sorted(code for code, level in areas if level == "district")
        provinces = sorted(code for code, level in areas if level == "province")
        counts: dict[str, int] = {}
        counts["observation"] = _insert(conn, Observation, _observations(subdistricts, districts))
        counts["target"] = _insert(conn, Target, _targets(rng, provinces))
        projects, links, indicator_links = _projects(rng, districts, subdistricts)
        counts["project"] = _insert(conn, Project, iter(projects))
        counts["project_area"] = _insert(conn, ProjectArea, iter(links))
        counts["project_indicator"] = _insert(conn, ProjectIndicator, iter(indicator_links))
        counts["alert_rule"] = _insert(conn, AlertRule, iter(_alert_rules()))
    return counts


def _insert(conn: Any, model: type, rows: Iterator[dict[str, Any]]) -> int:
    table: Table = model.__table__  # type: ignore[attr-defined]
    total = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(table.insert(), batch)
            total += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        total += len(batch)
    return total


def _area_factor(code: str) -> float:
    """A stable 0..1 number per area, so neighbouring months of one area look alike."""
    return (int(code) * 2654435761 % 2**32) / 2**32


def _obs(indicator: str, area: str, period: str, value: float) -> dict[str, Any]:
    return {
        "indicator_code": indicator,
        "area_code": area,
        "period": period,
        "period_start": parse_period(period).start,
        "value": round(value, 2),
        "revision": 1,
        "is_current": True,
        "source": "local",
        "recorded_by": RECORDER,
        "recorded_at": datetime(2026, 10, 1, tzinfo=UTC),
    }


def _months() -> list[date]:
    out = []
    year, month = FIRST_MONTH.year, FIRST_MONTH.month
    for _ in range(MONTHS):
        out.append(date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def _observations(subdistricts: list[str], districts: list[str]) -> Iterator[dict[str, Any]]:
    months = _months()
    quarters = sorted({fiscal_quarter_label(m) for m in months})
    for code in subdistricts:
        f = _area_factor(code)
        households = 400 + int(f * 2600)
        for fy in FISCAL_YEARS:
            grow = 1 + 0.01 * (fy - 2024)
            yield _obs("POPULATION", code, f"FY{fy}", round(households * 3.1 * grow))
            yield _obs("POVERTY_LINE_PCT", code, f"FY{fy}", 4 + 14 * f - 0.8 * (fy - 2024))
            yield _obs("ELECTRIFICATION_PCT", code, f"FY{fy}", min(100, 97 + 3 * f))
            yield _obs("SOCIAL_PROTECTION_PCT", code, f"FY{fy}", 60 + 30 * f + (fy - 2024))
        for q in quarters:
            yield _obs("SERVICE_SATISFACTION_PCT", code, q, 70 + 25 * ((f * 7 + len(q)) % 1))
        for m in months:
            label = f"{m.year:04d}-{m.month:02d}"
            flood_season = 1.0 if m.month in (8, 9, 10, 11) else 0.05
            dry_season = 1.0 if m.month in (2, 3, 4, 5) else 0.05
            wave = ((f * 13 + m.month * 0.37 + m.year * 0.11) % 1)
            yield _obs("FLOOD_AFFECTED_HH", code, label,
                       int(households * 0.2 * flood_season * f * wave))
            yield _obs("DROUGHT_AFFECTED_HH", code, label,
                       int(households * 0.15 * dry_season * (1 - f) * wave))
            yield _obs("SAFE_WATER_PCT", code, label,
                       min(100.0, 78 + 18 * f + 0.1 * (m.year - 2023) * 12 * wave))
    for code in districts:
        f = _area_factor(code)
        for q in quarters:
            generated = 50_000 + f * 400_000
            yield _obs("WASTEWATER_GENERATED_M3", code, q, generated)
            yield _obs("WASTEWATER_TREATED_M3", code, q, generated * (0.2 + 0.5 * f))


def _targets(rng: random.Random, provinces: list[str]) -> Iterator[dict[str, Any]]:
    plans = {
        "SAFE_WATER_PCT": (90.0, 1.0),
        "POVERTY_LINE_PCT": (8.0, -0.5),
        "SERVICE_SATISFACTION_PCT": (85.0, 1.0),
        "FLOOD_AFFECTED_HH": (None, 0.0),
        "WASTEWATER_TREATED_PCT": (50.0, 3.0),
    }
    for code in ["TH", *provinces]:
        for fy in FISCAL_YEARS:
            for indicator, (base, step) in plans.items():
                value: float
                if base is None:
                    value = rng.randint(60_000, 120_000) * (77 if code == "TH" else 1)
                else:
                    value = base + step * (fy - 2024)
                yield {"indicator_code": indicator, "area_code": code, "fiscal_year": fy,
                       "value": float(value), "set_by": RECORDER,
                       "set_at": datetime(2023, 9, 15, tzinfo=UTC)}


def _projects(
    rng: random.Random, districts: list[str], subdistricts: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    kinds = [
        ("DPT", "ก่อสร้างถนนลาดยางสายบ้าน", "Paved road construction", "SAFE_WATER_PCT"),
        ("DDPM", "ขุดลอกคลองป้องกันน้ำท่วม", "Canal dredging for flood prevention",
         "FLOOD_AFFECTED_HH"),
        ("CDD", "ส่งเสริมอาชีพครัวเรือนยากจน", "Livelihoods for poor households",
         "POVERTY_LINE_PCT"),
        ("PWA", "ขยายเขตจำหน่ายน้ำประปา", "Piped water network extension", "SAFE_WATER_PCT"),
        ("DLA", "ธนาคารน้ำใต้ดิน", "Groundwater recharge banks", "DROUGHT_AFFECTED_HH"),
        ("WMA", "ระบบบำบัดน้ำเสียชุมชน", "Community wastewater treatment",
         "WASTEWATER_TREATED_PCT"),
    ]
    projects, links, indicator_links = [], [], []
    statuses = ["planned", "in_progress", "in_progress", "in_progress", "completed", "suspended"]
    for n in range(1, 301):
        agency, title_th, title_en, indicator = kinds[n % len(kinds)]
        district = rng.choice(districts)
        fy = rng.choice(FISCAL_YEARS)
        status = rng.choice(statuses)
        allocated = Decimal(rng.randint(5, 500) * 100_000)
        progress = {"planned": 0.0, "completed": 100.0}.get(status, float(rng.randint(5, 95)))
        disbursed = (allocated * Decimal(progress) / Decimal(100)).quantize(Decimal("0.01"))
        code = f"P{fy}-{n:04d}"
        projects.append({
            "code": code, "title_th": f"{title_th} ({district})",
            "title_en": f"{title_en} ({district})", "agency_code": agency,
            "strategy": rng.choice(_STRATEGIES), "fiscal_year": fy,
            "budget_allocated": allocated, "budget_disbursed": disbursed, "status": status,
            "progress_pct": progress, "start_date": date(fy - 1, 10, 1) + timedelta(days=n % 90),
            "end_date": date(fy, 9, 30), "updated_at": datetime(2026, 10, 1, tzinfo=UTC),
        })
        links.append({"project_code": code, "area_code": district})
        inside = [s for s in subdistricts if is_within(s, district)]
        for sub in rng.sample(inside, k=min(2, len(inside))):
            links.append({"project_code": code, "area_code": sub})
        indicator_links.append({"project_code": code, "indicator_code": indicator})
    return projects, links, indicator_links


def _alert_rules() -> list[dict[str, Any]]:
    return [
        {"name": "Drought: more than 300 households affected", "indicator_code":
         "DROUGHT_AFFECTED_HH", "area_code": "TH", "comparator": ">", "threshold": 300.0,
         "severity": "warning"},
        {"name": "Flood: more than 400 households affected", "indicator_code":
         "FLOOD_AFFECTED_HH", "area_code": "TH", "comparator": ">", "threshold": 400.0,
         "severity": "critical"},
        {"name": "Safe water below 80 %", "indicator_code": "SAFE_WATER_PCT", "area_code": "TH",
         "comparator": "<", "threshold": 80.0, "severity": "warning"},
    ]
