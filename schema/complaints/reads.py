"""Damrongdhama complaints and their handling. Personal data is not part of this type."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from areagraph.resolvers.complaints import reads as resolve
from areagraph.resolvers.complaints.reads import ComplaintRow
from areagraph.resolvers.context import Info
from areagraph.resolvers.figures import indicators as resolve_indicators
from areagraph.schema.areas import Area
from areagraph.schema.common import Connection, connection, decode_cursor
from areagraph.schema.enums import ComplaintChannel, ComplaintStatus
from areagraph.schema.figures.indicators import Agency


@strawberry.type(description="A complaint category and its service level.")
class ComplaintCategory:
    code: str
    name_th: str
    name_en: str
    sla_days: int


@strawberry.type(description="One step of a complaint's handling.")
class ComplaintTransition:
    from_status: ComplaintStatus | None
    to_status: ComplaintStatus
    agency_code: str | None
    actor: str
    note: str
    at: datetime


@strawberry.type(description=(
    "The person who filed a complaint. Personal data (PDPA): masked unless your role may see it "
    "(ministry admin; complaint officers in their scope); every unmasked read is audited."))
class Complainant:
    name: str
    phone: str
    citizen_id: str
    masked: bool = strawberry.field(description="True when the values are masked.")


@strawberry.type(description="A citizen complaint received by a Damrongdhama centre.")
class Complaint:
    ticket_no: str
    channel: ComplaintChannel
    subject: str
    status: ComplaintStatus
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    overdue: bool = strawberry.field(description="Still open after its service-level due date.")
    source: str | None = strawberry.field(
        description="The system of record holding the ticket (null: kept only here).")
    source_area_code: str | None = strawberry.field(
        description="The place code the source names when it is not on today's map (an "
                    "abolished subdistrict); the ticket is then on the area containing it.")
    row: strawberry.Private[ComplaintRow]

    @classmethod
    def from_row(cls, row: ComplaintRow) -> Complaint:
        return cls(
            ticket_no=row["ticket_no"], channel=ComplaintChannel(row["channel"]),
            subject=row["subject"], status=ComplaintStatus(row["status"]),
            received_at=row["received_at"], due_at=row["due_at"],
            resolved_at=row["resolved_at"], overdue=resolve.is_overdue(row),
            source=row["source"], source_area_code=row["source_area_code"], row=row,
        )

    @strawberry.field
    async def area(self, info: Info) -> Area | None:
        row = await info.context.loaders.area.load(self.row["area_code"])
        return None if row is None else Area.from_row(row)

    @strawberry.field
    async def category(self, info: Info) -> ComplaintCategory | None:
        row = await info.context.loaders.category.load(self.row["category_code"])
        if row is None:
            return None
        return ComplaintCategory(code=row["code"], name_th=row["name_th"],
                                 name_en=row["name_en"], sla_days=row["sla_days"])

    @strawberry.field(description="The agency the case is assigned to.")
    async def assigned_agency(self, info: Info) -> Agency | None:
        row = await resolve_indicators.agency(info, self.row["assigned_agency_code"])
        return None if row is None else Agency.from_row(row)

    @strawberry.field(description="The complainant, masked unless the policy allows (audited).")
    def complainant(self, info: Info) -> Complainant:
        view = resolve.complainant(info, self.row)
        return Complainant(name=view.name, phone=view.phone, citizen_id=view.citizen_id,
                           masked=view.masked)

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: Info) -> list[ComplaintTransition]:
        rows = await resolve.history(info, self.row["id"])
        return [
            ComplaintTransition(
                from_status=ComplaintStatus(r["from_status"]) if r["from_status"] else None,
                to_status=ComplaintStatus(r["to_status"]), agency_code=r["agency_code"],
                actor=r["actor"], note=r["note"], at=r["at"],
            )
            for r in rows
        ]


@strawberry.type
class ComplaintQuery:
    @strawberry.field(description="Complaints in an area's subtree, by agency, status, category.")
    async def complaints(
        self,
        info: Info,
        area_code: str | None = None,
        agency_code: str | None = None,
        status: ComplaintStatus | None = None,
        category: str | None = None,
        fiscal_year: int | None = None,
        first: int | None = None,
        after: str | None = None,
        open: Annotated[bool | None, strawberry.argument(
            description="true: cases still being handled; false: resolved, rejected or "
                        "closed ones.")] = None,
        received_from: Annotated[datetime | None, strawberry.argument(
            description="Received at or after this instant (UTC when no zone is given).")
        ] = None,
        received_to: Annotated[datetime | None, strawberry.argument(
            description="Received at or before this instant.")] = None,
    ) -> Connection[Complaint]:
        f = resolve.complaint_filter(info, area_code=area_code, agency_code=agency_code,
                                     status=status.value if status else None,
                                     category=category, fiscal_year=fiscal_year, open=open,
                                     received_from=received_from, received_to=received_to)
        key = resolve.complaint_cursor(decode_cursor("complaint", after))
        page, total = await resolve.complaints(info, f, first, key)
        nodes = [Complaint.from_row(r) for r in page.rows]
        return connection(nodes, [n.row["id"] for n in nodes], "complaint", page.has_next,
                          page.has_previous, total)
