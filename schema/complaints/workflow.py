"""The complaint workflow: file a complaint, move it through its states, count per area."""

from __future__ import annotations

import strawberry

from areagraph.domain.complaints.stats import Summary
from areagraph.resolvers.complaints import workflow as resolve
from areagraph.resolvers.context import Info
from areagraph.schema.complaints.reads import Complaint, ComplaintCategory
from areagraph.schema.enums import ComplaintChannel, ComplaintStatus


@strawberry.input(description="A new complaint. The complainant's details are personal data "
                              "(PDPA): stored, masked on the way out, never in the audit trail.")
class FileComplaintInput:
    channel: ComplaintChannel
    category_code: str
    area_code: str
    subject: str
    detail: str = ""
    complainant_name: str
    complainant_phone: str = ""
    complainant_citizen_id: str = ""


@strawberry.type(description="Counts of complaints received in a fiscal year.")
class ComplaintCounts:
    received: int
    open: int
    resolved: int
    rejected: int
    overdue: int = strawberry.field(description="Still open after the category's SLA days.")
    resolved_late: int
    median_days_to_resolve: float | None

    @classmethod
    def of(cls, s: Summary) -> ComplaintCounts:
        return cls(received=s.received, open=s.open, resolved=s.resolved, rejected=s.rejected,
                   overdue=s.overdue, resolved_late=s.resolved_late,
                   median_days_to_resolve=s.median_days_to_resolve)


@strawberry.type
class CategoryCounts:
    category_code: str
    counts: ComplaintCounts


@strawberry.type
class AreaCounts:
    area_code: str
    counts: ComplaintCounts


@strawberry.type(description="Complaint statistics for an area's subtree, as far as the caller "
                             "may see.")
class ComplaintStatistics:
    area_code: str
    fiscal_year: int | None
    counts: ComplaintCounts
    by_category: list[CategoryCounts]
    by_child_area: list[AreaCounts]

    @classmethod
    def of(cls, found: resolve.Statistics) -> ComplaintStatistics:
        return cls(
            area_code=found.area_code, fiscal_year=found.fiscal_year,
            counts=ComplaintCounts.of(found.summary),
            by_category=[CategoryCounts(category_code=k, counts=ComplaintCounts.of(v))
                         for k, v in found.by_category.items()],
            by_child_area=[AreaCounts(area_code=k, counts=ComplaintCounts.of(v))
                           for k, v in found.children.items()],
        )


@strawberry.type
class ComplaintWorkflowQuery:
    @strawberry.field(description="One complaint by ticket number; null when unknown or "
                                  "outside your reach.")
    async def complaint(self, info: Info, ticket_no: str) -> Complaint | None:
        row = await resolve.complaint(info, ticket_no)
        return None if row is None else Complaint.from_row(row)

    @strawberry.field(description="Received, resolved, overdue and median days to resolve.")
    async def complaint_statistics(self, info: Info, area_code: str,
                                   fiscal_year: int | None = None) -> ComplaintStatistics:
        return ComplaintStatistics.of(await resolve.statistics(info, area_code, fiscal_year))

    @strawberry.field(description="Complaint categories and their service levels (days).")
    async def complaint_categories(self, info: Info) -> list[ComplaintCategory]:
        return [ComplaintCategory(code=r["code"], name_th=r["name_th"], name_en=r["name_en"],
                                  sla_days=r["sla_days"]) for r in await resolve.categories(info)]


@strawberry.type
class ComplaintWorkflowMutation:
    @strawberry.mutation(description="File a complaint (status received; due after the "
                                     "category's SLA days). Needs write_complaints.")
    async def file_complaint(self, info: Info, input: FileComplaintInput) -> Complaint:
        row = await resolve.file_complaint(info, resolve.NewComplaint(
            channel=input.channel.value, category_code=input.category_code,
            area_code=input.area_code, subject=input.subject, detail=input.detail,
            complainant_name=input.complainant_name, complainant_phone=input.complainant_phone,
            complainant_citizen_id=input.complainant_citizen_id))
        return Complaint.from_row(row)

    @strawberry.mutation(description="Move a complaint: received → accepted → assigned → "
                                     "in progress → resolved → closed, or referred / rejected. "
                                     "Illegal moves are refused; expectedStatus guards against "
                                     "a concurrent move.")
    async def transition_complaint(self, info: Info, ticket_no: str, to_status: ComplaintStatus,
                                   agency_code: str | None = None, note: str = "",
                                   expected_status: ComplaintStatus | None = None) -> Complaint:
        row = await resolve.transition(info, ticket_no, to_status.value, agency_code, note,
                                       expected_status.value if expected_status else None)
        return Complaint.from_row(row)

    @strawberry.mutation(description="Set a category's service level in days; complaints "
                                     "already filed keep their due date. Country-wide only.")
    async def set_complaint_category_sla(self, info: Info, code: str,
                                         sla_days: int) -> ComplaintCategory:
        row = await resolve.set_sla(info, code, sla_days)
        return ComplaintCategory(code=row["code"], name_th=row["name_th"],
                                 name_en=row["name_en"], sla_days=row["sla_days"])
