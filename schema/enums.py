"""Enumerations of the GraphQL schema. Values are what the store holds."""

from __future__ import annotations

from enum import Enum

import strawberry

from areagraph.domain.complaints import states


@strawberry.enum(description="Level of a DOPA area.")
class AreaLevel(Enum):
    COUNTRY = "country"
    PROVINCE = "province"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"


@strawberry.enum(description="Topic an indicator belongs to.")
class Topic(Enum):
    POPULATION = "population"
    POVERTY = "poverty"
    FLOOD = "flood"
    DROUGHT = "drought"
    DISASTER = "disaster"
    WATER = "water"
    WASTEWATER = "wastewater"
    LAND = "land"
    ENERGY = "energy"
    SOCIAL_PROTECTION = "social_protection"
    COMPLAINTS = "complaints"
    GOVERNANCE = "governance"


@strawberry.enum(description="ThaiQM / TPMAP poverty dimension.")
class Dimension(Enum):
    HEALTH = "health"
    LIVING_CONDITIONS = "living_conditions"
    EDUCATION = "education"
    INCOME = "income"
    PUBLIC_SERVICES = "public_services"


@strawberry.enum(description="How an indicator rolls up from child areas to their parent.")
class Aggregation(Enum):
    SUM = "sum"
    MEAN = "mean"
    WEIGHTED_MEAN = "weighted_mean"
    RATIO = "ratio"
    MAX = "max"


@strawberry.enum(description="The kind of reporting period an indicator takes.")
class PeriodType(Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"
    FISCAL_QUARTER = "fiscal_quarter"


@strawberry.enum(description="Whether a higher or a lower value is better.")
class Direction(Enum):
    HIGHER = "higher"
    LOWER = "lower"


@strawberry.enum(description="Kind of agency.")
class AgencyKind(Enum):
    DEPARTMENT = "department"
    STATE_ENTERPRISE = "state_enterprise"
    CENTRE = "centre"
    OFFICE = "office"
    MINISTRY = "ministry"


@strawberry.enum(description="Where a project stands.")
class ProjectStatus(Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


@strawberry.enum(description="Where a Damrongdhama complaint stands.")
class ComplaintStatus(Enum):
    RECEIVED = states.RECEIVED
    ACCEPTED = states.ACCEPTED
    ASSIGNED = states.ASSIGNED
    IN_PROGRESS = states.IN_PROGRESS
    REFERRED = states.REFERRED
    REJECTED = states.REJECTED
    RESOLVED = states.RESOLVED
    CLOSED = states.CLOSED


@strawberry.enum(description="How a complaint reached the centre.")
class ComplaintChannel(Enum):
    HOTLINE_1567 = "hotline_1567"
    WALK_IN = "walk_in"
    WEB = "web"
    LINE = "line"
    LETTER = "letter"
