"""The tables of areagraph's own store.

Enumerations are stored as short strings (not database enum types) so that adding a value is a
code change, not a migration on every database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from areagraph.core.clock import utcnow

MONEY = Numeric(18, 2)


class Area(SQLModel, table=True):
    """A DOPA area: the country (``TH``), a province, a district or a subdistrict."""

    __tablename__ = "area"

    code: str = Field(primary_key=True, max_length=8)
    level: str = Field(max_length=16, index=True)
    parent_code: str | None = Field(default=None, max_length=8, index=True)
    province_code: str | None = Field(default=None, max_length=2, index=True)
    district_code: str | None = Field(default=None, max_length=4, index=True)
    name_th: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    postal_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Agency(SQLModel, table=True):
    """A department, state enterprise or centre of the ministry that owns a source of data."""

    __tablename__ = "agency"

    code: str = Field(primary_key=True, max_length=16)
    kind: str = Field(max_length=32)
    name_th: str = Field(max_length=200)
    name_en: str = Field(max_length=200)


class Indicator(SQLModel, table=True):
    """A measure the ministry follows, with how it rolls up the area tree."""

    __tablename__ = "indicator"

    code: str = Field(primary_key=True, max_length=48)
    name_th: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    unit: str = Field(max_length=32)
    topic: str = Field(max_length=32, index=True)
    sdg_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    dimension: str | None = Field(default=None, max_length=32)
    aggregation: str = Field(max_length=16)
    numerator_code: str | None = Field(default=None, max_length=48)
    denominator_code: str | None = Field(default=None, max_length=48)
    weight_code: str | None = Field(default=None, max_length=48)
    period_type: str = Field(max_length=16)
    direction: str = Field(max_length=8)
    agency_code: str = Field(foreign_key="agency.code", max_length=16)
    source: str = Field(default="local", max_length=32)
    entry_levels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    time_rule: str = Field(default="last", max_length=8,
                           description="How periods add up to a longer one: sum, last, mean, "
                                       "max or ratio.")


class Observation(SQLModel, table=True):
    """One revision of a figure for an indicator, area and period. Revisions are never updated."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("indicator_code", "area_code", "period", "revision"),
        Index("ix_observation_current", "indicator_code", "period", "is_current", "area_code"),
        Index("ix_observation_area", "area_code", "indicator_code", "period_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_code: str = Field(foreign_key="indicator.code", max_length=48)
    area_code: str = Field(foreign_key="area.code", max_length=8)
    period: str = Field(max_length=16)
    period_start: date
    value: float
    revision: int = 1
    is_current: bool = True
    source: str = Field(default="local", max_length=32)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow)


class Target(SQLModel, table=True):
    """A planned value for an indicator in an area for a Thai fiscal year."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_code", "area_code", "fiscal_year"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_code: str = Field(foreign_key="indicator.code", max_length=48)
    area_code: str = Field(foreign_key="area.code", max_length=8, index=True)
    fiscal_year: int
    value: float
    set_by: str = Field(max_length=200)
    set_at: datetime = Field(default_factory=utcnow)


class Project(SQLModel, table=True):
    """A funded project of an agency, serving a strategy, in one or more areas."""

    __tablename__ = "project"

    code: str = Field(primary_key=True, max_length=32)
    title_th: str = Field(max_length=500)
    title_en: str = Field(max_length=500)
    agency_code: str = Field(foreign_key="agency.code", max_length=16, index=True)
    strategy: str = Field(max_length=200)
    fiscal_year: int = Field(index=True)
    budget_allocated: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    budget_disbursed: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    status: str = Field(max_length=16, index=True)
    progress_pct: float = 0.0
    start_date: date
    end_date: date
    updated_at: datetime = Field(default_factory=utcnow)


class ProjectArea(SQLModel, table=True):
    """The areas a project works in."""

    __tablename__ = "project_area"

    project_code: str = Field(foreign_key="project.code", primary_key=True, max_length=32)
    area_code: str = Field(foreign_key="area.code", primary_key=True, max_length=8, index=True)


class ProjectIndicator(SQLModel, table=True):
    """The indicators a project is meant to move."""

    __tablename__ = "project_indicator"

    project_code: str = Field(foreign_key="project.code", primary_key=True, max_length=32)
    indicator_code: str = Field(foreign_key="indicator.code", primary_key=True, max_length=48)


class ProjectMilestone(SQLModel, table=True):
    """A step of a project with its due date and status."""

    __tablename__ = "project_milestone"

    id: int | None = Field(default=None, primary_key=True)
    project_code: str = Field(foreign_key="project.code", max_length=32, index=True)
    name: str = Field(max_length=300)
    due_date: date
    status: str = Field(default="pending", max_length=16)


class ComplaintCategory(SQLModel, table=True):
    """A complaint category with the days the centres have to resolve it."""

    __tablename__ = "complaint_category"

    code: str = Field(primary_key=True, max_length=32)
    name_th: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    sla_days: int


class Complaint(SQLModel, table=True):
    """A Damrongdhama ticket. The complainant's personal data never leaves without the policy."""

    __tablename__ = "complaint"

    id: int | None = Field(default=None, primary_key=True)
    ticket_no: str = Field(max_length=32, unique=True)
    channel: str = Field(max_length=16)
    category_code: str = Field(foreign_key="complaint_category.code", max_length=32)
    area_code: str = Field(foreign_key="area.code", max_length=8, index=True)
    subject: str = Field(max_length=500)
    detail: str = Field(default="", max_length=4000)
    status: str = Field(max_length=16, index=True)
    received_at: datetime = Field(index=True)
    due_at: datetime
    resolved_at: datetime | None = None
    assigned_agency_code: str | None = Field(
        default=None, foreign_key="agency.code", max_length=16, index=True
    )
    complainant_name: str = Field(max_length=200)
    complainant_phone: str = Field(max_length=32)
    complainant_citizen_id: str = Field(max_length=13)
    updated_at: datetime = Field(default_factory=utcnow)
    # The system of record holding the ticket (None: kept only here, no such system configured),
    # when it was last brought in line with it, and the place code it names when that is not
    # today's `area_code` (an abolished subdistrict placed on the area that contains it).
    source: str | None = Field(default=None, max_length=32, index=True)
    synced_at: datetime | None = None
    source_area_code: str | None = Field(default=None, max_length=16)


class ComplaintTransition(SQLModel, table=True):
    """One step in a complaint's history: who moved it from what to what, and why."""

    __tablename__ = "complaint_transition"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    agency_code: str | None = Field(default=None, max_length=16)
    actor: str = Field(max_length=200)
    note: str = Field(default="", max_length=2000)
    at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """A partner or machine credential. Only a hash of the secret is kept."""

    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    secret_hash: str = Field(max_length=128)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    area_scope: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    agency_code: str | None = Field(default=None, max_length=16)
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class AuditRecord(SQLModel, table=True):
    """An append-only record of a write or a read of personal data."""

    __tablename__ = "audit_record"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    subject: str = Field(max_length=200, index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    credential_id: str | None = Field(default=None, max_length=64)
    operation: str = Field(max_length=200, index=True)
    query_hash: str = Field(max_length=64)
    variables: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    personal_fields: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class OutboxEvent(SQLModel, table=True):
    """An event written in the same transaction as its change, published by the relay."""

    __tablename__ = "outbox_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    area_code: str = Field(max_length=8, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = Field(default=None, index=True)


class IdempotencyRecord(SQLModel, table=True):
    """The first result of a write sent with an idempotency key."""

    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=200)
    subject: str = Field(primary_key=True, max_length=200)
    operation: str = Field(max_length=64)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class AlertRule(SQLModel, table=True):
    """A threshold on an indicator, evaluated when figures arrive."""

    __tablename__ = "alert_rule"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    indicator_code: str = Field(foreign_key="indicator.code", max_length=48)
    area_code: str = Field(default="TH", max_length=8)
    comparator: str = Field(max_length=4)
    threshold: float
    severity: str = Field(default="warning", max_length=16)


class Alert(SQLModel, table=True):
    """A raised (and maybe cleared) alert for an area."""

    __tablename__ = "alert"

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="alert_rule.id", index=True)
    area_code: str = Field(foreign_key="area.code", max_length=8, index=True)
    period: str = Field(max_length=16)
    value: float
    status: str = Field(max_length=16, index=True)
    raised_at: datetime = Field(default_factory=utcnow)
    cleared_at: datetime | None = None


class SourceSync(SQLModel, table=True):
    """How the last sync of a source system's figures into the store went (one row a source)."""

    __tablename__ = "source_sync"

    source: str = Field(primary_key=True, max_length=32)
    attempted_at: datetime
    succeeded_at: datetime | None = None
    failed: bool = False
    error: str | None = Field(default=None, max_length=1000)
    written: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False))
