"""Load the reference data: the real DOPA area tree from geothai, agencies, indicators.

Idempotent: rows that already exist and are unchanged are left alone, so running it twice
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geothai
from sqlalchemy import Engine, Table, select
from sqlmodel import SQLModel

from areagraph.connectors.local.catalogue import AGENCIES, COMPLAINT_CATEGORIES, indicators
from areagraph.connectors.local.models import Agency, Area, ComplaintCategory, Indicator
from areagraph.core.area_codes import district_of, province_of

COUNTRY_CODE = "TH"


@dataclass
class SeedReport:
    inserted: dict[str, int]
    updated: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values())


def area_rows() -> list[dict[str, Any]]:
    """Every area of Thailand today, from the country down to subdistricts."""
    rows: list[dict[str, Any]] = [
        _area(COUNTRY_CODE, "country", None, "ประเทศไทย", "Thailand"),
    ]
    for province in geothai.provinces():
        rows.append(_area(province.code, "province", COUNTRY_CODE, province.name_th,
                          province.name_en))
        for district in geothai.districts(province.code):
            rows.append(_area(district.code, "district", province.code, district.name_th,
                              district.name_en))
            for sub in geothai.subdistricts(district.code):
                rows.append(_area(sub.code, "subdistrict", district.code, sub.name_th,
                                  sub.name_en, list(sub.postal_codes)))
    return rows


def _area(code: str, level: str, parent: str | None, name_th: str, name_en: str,
          postal: list[str] | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "level": level,
        "parent_code": parent,
        "province_code": province_of(code),
        "district_code": district_of(code),
        "name_th": name_th,
        "name_en": name_en,
        "postal_codes": postal or [],
    }


def _rows(models: Iterable[SQLModel]) -> list[dict[str, Any]]:
    return [m.model_dump() for m in models]


def seed_reference(engine: Engine) -> SeedReport:
    """Insert or refresh areas, agencies, complaint categories and the indicator catalogue."""
    report = SeedReport(inserted={}, updated={})
    plan: Sequence[tuple[type[SQLModel], str, list[dict[str, Any]]]] = [
        (Area, "code", area_rows()),
        (Agency, "code", _rows(AGENCIES)),
        (ComplaintCategory, "code", _rows(COMPLAINT_CATEGORIES)),
        (Indicator, "code", _rows(indicators())),
    ]
    with engine.begin() as conn:
        for model, key, rows in plan:
            table: Table = model.__table__  # type: ignore[attr-defined]
            existing = {r[key]: dict(r) for r in conn.execute(select(table)).mappings()}
            new = [r for r in rows if r[key] not in existing]
            changed = [r for r in rows if r[key] in existing and existing[r[key]] != r]
            if new:
                conn.execute(table.insert(), new)
            for row in changed:
                conn.execute(table.update().where(table.c[key] == row[key]).values(**row))
            report.inserted[table.name] = len(new)
            report.updated[table.name] = len(changed)
    return report
