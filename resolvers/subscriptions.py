"""What the subscription fields do: replay from the outbox after `since`, then live events.

Every event is checked against the caller's policy before it is queued for them, and complainants
are masked as in queries. A subscription that falls `ws_queue_size` events behind has its socket
closed rather than letting memory grow; the client resumes with `since`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterable

from areagraph.auth import audit
from areagraph.auth.policy import (
    Capability,
    can_read_event,
    can_read_figures,
    can_read_record,
    require_principal,
)
from areagraph.auth.principal import Principal
from areagraph.connectors.local import outbox
from areagraph.connectors.local.complaints import reads as complaint_store
from areagraph.connectors.local.outbox import Event, EventKind
from areagraph.core.area_codes import is_within
from areagraph.core.errors import AppError
from areagraph.resolvers import inputs
from areagraph.resolvers.complaints.reads import PERSONAL_FIELDS, ComplainantView, complainant_view
from areagraph.resolvers.context import Info
from areagraph.resolvers.event_feed import Subscription

Accepts = Callable[[Event], bool]
_REPLAY_PAGE = 1000


class SubscriptionEnded(AppError):
    code = "SUBSCRIPTION_ENDED"
    http_status = 409


def event_areas(event: Event) -> list[str]:
    """The areas an event concerns: its own, or all of a project's or a declaration's."""
    codes = event.payload.get("areaCodes")
    if isinstance(codes, list) and codes:
        return [c for c in codes if isinstance(c, str)] or [event.area_code]
    return [event.area_code]


def sees_observation(who: Principal, indicator_codes: Iterable[str] | None) -> Accepts:
    wanted = frozenset(indicator_codes) if indicator_codes else None

    def accepts(event: Event) -> bool:
        code = event.payload.get("indicatorCode")
        if wanted is not None and code not in wanted:
            return False
        return can_read_figures(who, event.area_code, event.payload.get("topic"))

    return accepts


def sees_record(who: Principal, capability: Capability) -> Accepts:
    def accepts(event: Event) -> bool:
        return can_read_record(who, capability, event_areas(event),
                               event.payload.get("agencyCode"))

    return accepts


def sees_source_event(who: Principal, kinds: Iterable[str] | None) -> Accepts:
    wanted = frozenset(kinds) if kinds else None

    def accepts(event: Event) -> bool:
        if wanted is not None and event.payload.get("kind") not in wanted:
            return False
        return can_read_event(who, str(event.payload.get("kind")), event_areas(event),
                              event.payload.get("agencyCode"))

    return accepts


async def events(info: Info, kind: EventKind, area_code: str, since: str | None,
                 accepts: Accepts) -> AsyncGenerator[Event, None]:
    """The caller's events of `kind` in an area's subtree: missed ones first, then live."""
    ctx = info.context
    require_principal(ctx.principal)
    hub = ctx.events
    if hub is None:
        raise SubscriptionEnded("real-time events are not available on this gateway")
    area = inputs.area_code(area_code, "areaCode")
    since_id = _event_id(since)
    settings = ctx.settings

    def wanted(event: Event) -> bool:
        in_area = any(is_within(c, area) for c in event_areas(event))
        return in_area and accepts(event)

    socket = ctx.socket

    def too_slow() -> None:
        if socket is not None:
            socket.too_slow(settings.ws_queue_size)

    # Registered before the replay, so nothing committed meanwhile falls between the two.
    subscription = Subscription(frozenset({kind.value}), wanted, settings.ws_queue_size,
                                too_slow)
    hub.add(subscription)
    try:
        replayed: set[int] = set()
        if since_id is not None:
            async for event in _replay(info, since_id, kind, wanted, settings.replay_limit):
                replayed.add(event.id)
                yield event
        while not subscription.overflowed:
            event = await subscription.queue.get()
            if event.id not in replayed:
                yield event
        raise SubscriptionEnded(f"more than {settings.ws_queue_size} events were not read in "
                                "time; resume with since")
    finally:
        hub.remove(subscription)


async def _replay(info: Info, since_id: int, kind: EventKind, wanted: Accepts,
                  limit: int) -> AsyncGenerator[Event, None]:
    """Missed events in order; past `limit` of them the client resumes from the last one."""
    sent = scanned = 0
    after = resume = since_id
    while True:
        page = await outbox.events_after(info.context.db, after, [kind.value], _REPLAY_PAGE)
        for event in page:
            after = event.id
            scanned += 1
            if wanted(event):
                if sent >= limit:
                    raise SubscriptionEnded(f"replay stopped after {sent} events; subscribe "
                                            f"again with since: {resume}",
                                            lastEventId=str(resume))
                sent += 1
                resume = event.id
                yield event
            elif scanned >= limit * 10:
                raise SubscriptionEnded(f"replay stopped; subscribe again with since: {after}",
                                        lastEventId=str(after))
        if len(page) < _REPLAY_PAGE:
            return


def _event_id(since: str | None) -> int | None:
    return inputs.key(since, "event id", "since")


async def complainant(info: Info, event: Event) -> ComplainantView | None:
    """The complainant of the event's complaint, read from the store (events carry none) and
    masked for this caller as in queries; unmasked reads are audited."""
    ticket = event.payload.get("ticketNo")
    if not isinstance(ticket, str):
        return None
    principal = require_principal(info.context.principal)
    row = (await complaint_store.complaints_by_tickets(info.context.db, [ticket])).get(ticket)
    view = None if row is None else complainant_view(principal, row)
    if view is not None and not view.masked:
        async with info.context.db.unit_of_work() as session:
            audit.record(session, principal, operation="complaintUpdated",
                         query="subscription complaintUpdated",
                         personal_fields=[f"{ticket}:{f}" for f in PERSONAL_FIELDS])
    return view
