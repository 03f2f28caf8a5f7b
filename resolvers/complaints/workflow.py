"""What the complaint workflow fields do: arguments in, the flow of domain/complaints/workflow.py
run with this request's desk, the result out."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from areagraph.auth.policy import Capability, require
from areagraph.connectors.local.complaints import workflow as store
from areagraph.core.clock import utcnow
from areagraph.domain.alerts.evaluation import evaluate_overdue
from areagraph.domain.complaints import workflow
from areagraph.domain.complaints.records import complaint_system
from areagraph.domain.complaints.states import OPEN
from areagraph.domain.complaints.workflow import NewComplaint, Statistics
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.scope import scoped_grants
from areagraph.resolvers.write_audit import audit_of

__all__ = ["NewComplaint", "Statistics", "categories", "complaint", "file_complaint",
           "set_sla", "statistics", "transition"]


def _desk(info: Info) -> workflow.Desk:
    ctx = info.context
    return workflow.Desk(
        db=ctx.db, audit=audit_of(info), categories=ctx.loaders.category,
        areas=ctx.loaders.area, agencies=ctx.loaders.agency,
        overdue_alerts=partial(evaluate_overdue, open_statuses=OPEN),
        system=complaint_system(ctx.sources, ctx.settings.complaint_system))


async def file_complaint(info: Info, new: NewComplaint) -> Any:
    principal = require(info.context.principal, Capability.WRITE_COMPLAINTS)
    area = inputs.area_code(new.area_code, "areaCode")
    return await workflow.file_complaint(_desk(info), principal, replace(new, area_code=area))


async def transition(info: Info, ticket_no: str, to_status: str, agency_code: str | None,
                     note: str, expected_status: str | None) -> Any:
    return await workflow.transition(_desk(info), info.context.principal, ticket_no, to_status,
                                     agency_code, note, expected_status)


async def complaint(info: Info, ticket_no: str) -> Any | None:
    return await workflow.complaint(info.context.db, info.context.principal, ticket_no)


async def statistics(info: Info, area_code: str, fiscal_year: int | None) -> Statistics:
    """Counts for the area's subtree (as far as the caller may see), by category and child."""
    area = inputs.area_code(area_code, "areaCode")
    year = inputs.fiscal_year(fiscal_year)
    grants = scoped_grants(info, Capability.COMPLAINTS, area)
    return await workflow.statistics(info.context.db, grants, area, year, utcnow())


async def set_sla(info: Info, code: str, days: int) -> Any:
    return await workflow.set_sla(_desk(info), info.context.principal, code, days)


async def categories(info: Info) -> list[Any]:
    return await store.categories(info.context.db)
