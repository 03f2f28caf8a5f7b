"""Real-time events over graphql-transport-ws (and legacy graphql-ws) at /graphql.

Each field takes an area and delivers events from its whole subtree, filtered by the caller's
scope; `since` (an event id) first replays what was missed, in order.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from areagraph.auth.policy import Capability, require_principal
from areagraph.resolvers import subscriptions as resolve
from areagraph.resolvers.context import Info
from areagraph.resolvers.subscriptions import Event, EventKind
from areagraph.schema.complaints.reads import Complainant
from areagraph.schema.enums import ComplaintStatus

Since = Annotated[strawberry.ID | None, strawberry.argument(
    description="Replay events after this event id first (what you missed), then go on live.")]


@strawberry.interface(description="Something that happened; `eventId` orders and resumes.")
class RealtimeEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `since` to resume after it.")
    at: datetime = strawberry.field(description="When the change was committed (UTC).")
    area_code: str


def _base(event: Event) -> dict[str, Any]:
    return {"event_id": strawberry.ID(str(event.id)), "at": event.created_at,
            "area_code": event.area_code}


@strawberry.type(description="A figure recorded for an area.")
class ObservationRecordedEvent(RealtimeEvent):
    indicator_code: str
    period: str
    value: float
    revision: int | None
    source: str | None

    @classmethod
    def from_event(cls, event: Event) -> ObservationRecordedEvent:
        p = event.payload
        return cls(**_base(event), indicator_code=p.get("indicatorCode", ""),
                   period=p.get("period", ""), value=float(p.get("value") or 0),
                   revision=p.get("revision"), source=p.get("source"))


@strawberry.type(description="A complaint filed or moved through its handling.")
class ComplaintUpdatedEvent(RealtimeEvent):
    ticket_no: str
    status: ComplaintStatus
    previous_status: ComplaintStatus | None
    subject: str
    category_code: str | None
    agency_code: str | None
    event: strawberry.Private[Event]

    @strawberry.field(description="Masked unless your role may see it (audited); null when it "
                                  "may not at all. Read from the complaint as it is now.")
    async def complainant(self, info: Info) -> Complainant | None:
        view = await resolve.complainant(info, self.event)
        return None if view is None else Complainant(
            name=view.name, phone=view.phone, citizen_id=view.citizen_id, masked=view.masked)

    @classmethod
    def from_event(cls, event: Event) -> ComplaintUpdatedEvent:
        p = event.payload
        previous = p.get("previousStatus")
        return cls(
            **_base(event), ticket_no=p.get("ticketNo", ""), status=ComplaintStatus(p["status"]),
            previous_status=ComplaintStatus(previous) if previous else None,
            subject=p.get("subject", ""), category_code=p.get("categoryCode"),
            agency_code=p.get("agencyCode"), event=event)


@strawberry.type(description="A project created or its progress updated.")
class ProjectUpdatedEvent(RealtimeEvent):
    project_code: str
    title_th: str
    title_en: str
    agency_code: str | None
    status: str
    progress_pct: float
    area_codes: list[str]

    @classmethod
    def from_event(cls, event: Event) -> ProjectUpdatedEvent:
        p = event.payload
        return cls(**_base(event), project_code=p.get("code", ""),
                   title_th=p.get("titleTh", ""), title_en=p.get("titleEn", ""),
                   agency_code=p.get("agencyCode"), status=p.get("status", ""),
                   progress_pct=float(p.get("progressPct") or 0),
                   area_codes=resolve.event_areas(event))


@strawberry.type(description="Reported by a source system, e.g. a flood declared by DDPM.")
class SourceSystemEvent(RealtimeEvent):
    source: str
    kind: str = strawberry.field(description="The source's event kind, e.g. flood_declared.")
    reference: str
    title: str
    status: str | None
    households_affected: int | None
    started_on: date | None
    ended_on: date | None
    area_codes: list[str]

    @classmethod
    def from_event(cls, event: Event) -> SourceSystemEvent:
        p = event.payload
        return cls(**_base(event), source=p.get("source", ""), kind=p.get("kind", ""),
                   reference=p.get("reference", ""), title=p.get("title", ""),
                   status=p.get("status"), households_affected=p.get("householdsAffected"),
                   started_on=_date(p.get("startedOn")), ended_on=_date(p.get("endedOn")),
                   area_codes=resolve.event_areas(event))


@strawberry.type(description="An alert rule fired for an area.")
class AlertRaisedEvent(RealtimeEvent):
    rule_id: str
    indicator_code: str | None
    severity: str
    message: str
    value: float | None
    threshold: float | None

    @classmethod
    def from_event(cls, event: Event) -> AlertRaisedEvent:
        p = event.payload
        return cls(**_base(event), rule_id=str(p.get("ruleId", "")),
                   indicator_code=p.get("indicatorCode"), severity=p.get("severity", ""),
                   message=p.get("message", ""), value=p.get("value"),
                   threshold=p.get("threshold"))


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(description="Figures recorded in an area's subtree.")
    async def observation_recorded(
        self, info: Info, area_code: str, indicator_codes: list[str] | None = None,
        since: Since = None,
    ) -> AsyncGenerator[ObservationRecordedEvent, None]:
        accepts = resolve.sees_observation(require_principal(info.context.principal),
                                           indicator_codes)
        async for event in resolve.events(info, EventKind.OBSERVATION_RECORDED, area_code,
                                          since, accepts):
            yield ObservationRecordedEvent.from_event(event)

    @strawberry.subscription(description="Complaints filed or changed in an area's subtree.")
    async def complaint_updated(
        self, info: Info, area_code: str,
        since: Since = None,
    ) -> AsyncGenerator[ComplaintUpdatedEvent, None]:
        accepts = resolve.sees_record(require_principal(info.context.principal),
                                      Capability.COMPLAINTS)
        async for event in resolve.events(info, EventKind.COMPLAINT_UPDATED, area_code, since,
                                          accepts):
            yield ComplaintUpdatedEvent.from_event(event)

    @strawberry.subscription(description="Projects created or updated in an area's subtree.")
    async def project_updated(
        self, info: Info, area_code: str,
        since: Since = None,
    ) -> AsyncGenerator[ProjectUpdatedEvent, None]:
        accepts = resolve.sees_record(require_principal(info.context.principal),
                                      Capability.PROJECTS)
        async for event in resolve.events(info, EventKind.PROJECT_UPDATED, area_code, since,
                                          accepts):
            yield ProjectUpdatedEvent.from_event(event)

    @strawberry.subscription(description="Events reported by source systems (of these kinds).")
    async def source_event(
        self, info: Info, area_code: str, kinds: list[str] | None = None,
        since: Since = None,
    ) -> AsyncGenerator[SourceSystemEvent, None]:
        accepts = resolve.sees_source_event(require_principal(info.context.principal), kinds)
        async for event in resolve.events(info, EventKind.SOURCE_EVENT, area_code, since,
                                          accepts):
            yield SourceSystemEvent.from_event(event)

    @strawberry.subscription(description="Alerts raised in an area's subtree.")
    async def alert_raised(
        self, info: Info, area_code: str,
        since: Since = None,
    ) -> AsyncGenerator[AlertRaisedEvent, None]:
        accepts = resolve.sees_record(require_principal(info.context.principal),
                                      Capability.EVENTS)
        async for event in resolve.events(info, EventKind.ALERT_RAISED, area_code, since,
                                          accepts):
            yield AlertRaisedEvent.from_event(event)
