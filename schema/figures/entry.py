"""Data entry: governors and district chiefs record figures and planners set targets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from areagraph.core.periods import parse_period
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import entry as resolve


@strawberry.input(description="One figure: an indicator's value for an area and period.")
class ObservationInput:
    indicator_code: str
    area_code: str
    period: str = strawberry.field(description="Of the indicator's period type: 2026-03, "
                                               "2026-Q1, FY2026, FY2026-Q1.")
    value: float


@strawberry.type(description="Why one input row was refused.")
class RowError:
    index: int = strawberry.field(description="The row's position in the input, from 0.")
    field: str
    reason: str


@strawberry.type(description="A recorded revision of a figure.")
class Revision:
    indicator_code: str
    area_code: str
    period: str
    value: float
    revision: int
    previous_value: float | None = strawberry.field(
        description="The value this revision replaced; null for the first.")
    recorded_by: str
    recorded_at: datetime
    is_current: bool

    @classmethod
    def from_row(cls, row: Any, previous: float | None = None) -> Revision:
        return cls(indicator_code=row["indicator_code"], area_code=row["area_code"],
                   period=row["period"], value=row["value"], revision=row["revision"],
                   previous_value=previous, recorded_by=row["recorded_by"],
                   recorded_at=row["recorded_at"], is_current=row["is_current"])

    @strawberry.field(name="yearBE", description="The Buddhist Era year of the period.")
    def year_be(self) -> int:
        return parse_period(self.period).year_be


@strawberry.type(description="The outcome of recordObservations: all rows written, or none "
                             "and every refused row with its reason.")
class RecordObservationsResult:
    accepted: bool
    written: int = strawberry.field(description="New revisions written.")
    unchanged: int = strawberry.field(description="Rows equal to the current figure.")
    replayed: bool = strawberry.field(
        description="True when this is the stored result of an earlier call with the key.")
    revisions: list[Revision]
    errors: list[RowError]

    @classmethod
    def of(cls, result: resolve.RecordResult) -> RecordObservationsResult:
        return cls(accepted=result.accepted, written=result.written,
                   unchanged=result.unchanged, replayed=result.replayed,
                   revisions=[Revision.from_row(r) for r in result.revisions],
                   errors=[RowError(index=e.index, field=e.field, reason=e.reason)
                           for e in result.errors])


@strawberry.input(description="A planned value for an indicator, area and Thai fiscal year.")
class TargetInput:
    indicator_code: str
    area_code: str
    fiscal_year: int = strawberry.field(description="CE: 2026 is FY2569 BE.")
    value: float


@strawberry.type(description="A planned value for an indicator in an area for a fiscal year.")
class Target:
    indicator_code: str
    area_code: str
    fiscal_year: int
    value: float
    set_by: str
    set_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Target:
        return cls(indicator_code=row["indicator_code"], area_code=row["area_code"],
                   fiscal_year=row["fiscal_year"], value=row["value"], set_by=row["set_by"],
                   set_at=row["set_at"])

    @strawberry.field(name="fiscalYearBE", description="Buddhist Era fiscal year (ปีงบประมาณ).")
    def fiscal_year_be(self) -> int:
        return self.fiscal_year + 543


@strawberry.type
class DataEntryQuery:
    @strawberry.field(description="Every revision of one figure, oldest first: who changed it, "
                                  "when, from what to what.")
    async def observation_history(self, info: Info, indicator_code: str, area_code: str,
                                  period: str) -> list[Revision]:
        rows = await resolve.observation_history(info, indicator_code, area_code, period)
        previous = [None, *(r["value"] for r in rows[:-1])]
        return [Revision.from_row(r, p) for r, p in zip(rows, previous, strict=True)]

    @strawberry.field(description="The targets set for an area, by fiscal year and indicator.")
    async def targets(self, info: Info, area_code: str, fiscal_year: int | None = None,
                      indicator_code: str | None = None) -> list[Target]:
        rows = await resolve.list_targets(info, area_code, fiscal_year, indicator_code)
        return [Target.from_row(r) for r in rows]


@strawberry.type
class DataEntryMutation:
    @strawberry.mutation(description="Record up to 10,000 figures in one transaction: all or "
                                     "none. The same idempotency key with the same rows again "
                                     "returns the first result and writes nothing; with other "
                                     "rows it is refused (IDEMPOTENCY_KEY_REUSED). Needs "
                                     "write_figures.")
    async def record_observations(self, info: Info, input: list[ObservationInput],
                                  idempotency_key: str | None = None
                                  ) -> RecordObservationsResult:
        return RecordObservationsResult.of(
            await resolve.record_observations(info, input, idempotency_key))

    @strawberry.mutation(description="Set targets per indicator, area and fiscal year (all or "
                                     "none; refused rows in extensions.rows). Needs "
                                     "write_figures.")
    async def set_targets(self, info: Info, input: list[TargetInput]) -> list[Target]:
        return [Target.from_row(r) for r in await resolve.set_targets(info, input)]
