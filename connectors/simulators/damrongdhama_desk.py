"""What the simulated Damrongdhama system holds: generated tickets, tickets filed through its
API, moves made on any ticket, and the answers it gave per idempotency key.

The centre checks moves with its own workflow (damrongdhama_workflow.py); it refuses on its own
what areagraph cannot know (a ticket moved at the centre meanwhile, a phone number it cannot
call).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from pydantic import BaseModel, Field

from areagraph.connectors.simulators import damrongdhama_workflow as centre
from areagraph.connectors.simulators.base import number

BANGKOK = timezone(timedelta(hours=7))
CATEGORIES = (("land", "DOL"), ("debt", "OPS"), ("nuisance", "DLA"), ("infrastructure", "DPT"),
              ("water", "PWA"), ("officials", "DOPA"), ("other", "OPS"))
CHANNELS = ("1567", "walk-in", "web", "line", "letter")
_TITLES = {"land": "ที่ดินทำกิน", "debt": "หนี้นอกระบบ", "nuisance": "เสียงดังรบกวน",
           "infrastructure": "ถนนชำรุด", "water": "น้ำประปาไม่ไหล",
           "officials": "เจ้าหน้าที่ไม่ให้บริการ", "other": "ขอความช่วยเหลือ"}
_FIRST = ("สมชาย", "สมหญิง", "ประเสริฐ", "มาลี", "บุญมี", "วันเพ็ญ", "สุรชัย", "อรุณี")
_LAST = ("ใจดี", "ศรีสุข", "บุญมา", "แก้วกล้า", "ทองดี", "พรหมมา", "สายสุวรรณ")
# The paths generated tickets take: statuses after "received", with the agency acting.
_PATHS = ((centre.ACCEPTED, centre.ASSIGNED, centre.IN_PROGRESS, centre.RESOLVED, centre.CLOSED),
          (centre.ACCEPTED, centre.ASSIGNED, centre.IN_PROGRESS, centre.RESOLVED),
          (centre.ACCEPTED, centre.REJECTED, centre.CLOSED),
          (centre.REFERRED, centre.CLOSED))


class Complainant(BaseModel):
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=32)
    citizen_id: str = Field(default="", max_length=13)


class HistoryEntry(BaseModel):
    status: str
    at: datetime
    by: str
    agency: str | None = None
    note: str | None = None


class Ticket(BaseModel):
    ticket_no: str
    area_code: str
    category: str
    channel: str
    subject: str
    detail: str = ""
    complainant: Complainant
    received_at: datetime
    status: str
    agency: str | None = None
    history: list[HistoryEntry]


class TicketSearch(BaseModel):
    areas: list[str] = Field(description="DOPA codes of any level; tickets inside them.")
    received_from: date
    received_to: date


class TicketList(BaseModel):
    count: int
    results: list[Ticket]


class Filing(BaseModel):
    area_code: str
    category: str
    channel: str = "web"
    subject: str = Field(max_length=500)
    detail: str = Field(default="", max_length=4000)
    complainant: Complainant
    by: str = Field(max_length=200, description="Who files it (the officer or the gateway).")


class Move(BaseModel):
    status: str
    agency: str | None = None
    note: str = ""
    by: str = Field(max_length=200)


class Refusal(BaseModel):
    code: str
    reason: str
    status: int = Field(default=422, exclude=True)


def generated(place: str, month: date, now: datetime) -> list[Ticket]:
    """The tickets received from a place in a month, with the steps taken up to `now`."""
    found: list[Ticket] = []
    for index in range(number("dd", place, month, low=0, high=2)):
        seed = (place, month, index)
        received = _received_at(seed)
        if received > now:
            continue
        category, agency = CATEGORIES[number("dd-cat", *seed, low=0, high=len(CATEGORIES) - 1)]
        history = [HistoryEntry(status=centre.RECEIVED, at=received, by="centre")]
        path = _PATHS[number("dd-path", *seed, low=0, high=len(_PATHS) - 1)]
        moment = received
        for status in path[:number("dd-steps", *seed, low=0, high=len(path))]:
            moment += timedelta(days=number("dd-gap", *seed, status, low=1, high=12))
            if moment > now:
                break
            acting = agency if status in (centre.ASSIGNED, centre.REFERRED) else None
            history.append(HistoryEntry(
                status=status, at=moment, by=agency if status != centre.ACCEPTED else "centre",
                agency=acting, note=_note(status, agency)))
        found.append(Ticket(
            ticket_no=f"DD{place}-{month:%y%m}-{index + 1:02d}", area_code=place,
            category=category, channel=CHANNELS[number("dd-ch", *seed, low=0, high=4)],
            subject=f"{_TITLES[category]} (เรื่องที่ {index + 1})",
            complainant=Complainant(
                name=f"{_FIRST[number('dd-f', *seed, low=0, high=len(_FIRST) - 1)]} "
                     f"{_LAST[number('dd-l', *seed, low=0, high=len(_LAST) - 1)]}",
                phone=f"08{number('dd-p', *seed, low=10_000_000, high=99_999_999)}",
                citizen_id=str(number("dd-id", *seed, low=10**12, high=10**13 - 1))),
            received_at=received, status=history[-1].status,
            agency=next((h.agency for h in reversed(history) if h.agency), None),
            history=history))
    return found


def generated_count(place: str, month: date, now: datetime) -> int:
    """How many tickets `generated` holds, without building them."""
    return sum(1 for index in range(number("dd", place, month, low=0, high=2))
               if _received_at((place, month, index)) <= now)


def _received_at(seed: tuple[str, date, int]) -> datetime:
    month = seed[1]
    return datetime(month.year, month.month, number("dd-day", *seed, low=1, high=28),
                    number("dd-hour", *seed, low=8, high=16), 0, tzinfo=BANGKOK)


def _note(status: str, agency: str) -> str | None:
    notes = {centre.REFERRED: f"ส่งต่อ {agency}", centre.REJECTED: "ไม่อยู่ในอำนาจหน้าที่"}
    return notes.get(status)


def _parse_ticket_no(ticket_no: str) -> tuple[str, date, int] | None:
    """(place, month, index) of a generated ticket number `DD<place>-<yymm>-<nn>`."""
    parts = ticket_no.split("-")
    if len(parts) != 3 or not parts[0].startswith("DD") or not parts[2].isdigit() \
            or len(parts[1]) != 4 or not parts[1].isdigit():
        return None
    month = date(2000 + int(parts[1][:2]), int(parts[1][2:]) or 1, 1)
    return parts[0][2:], month, int(parts[2]) - 1


class Desk:
    """Filed tickets, moves, and answers by idempotency key (thread-safe: tests reset it)."""

    def __init__(self, known_areas: frozenset[str]) -> None:
        self._known = known_areas
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._filed: dict[str, Ticket] = {}
            self._moves: dict[str, list[HistoryEntry]] = {}
            self._answers: dict[str, tuple[str, Ticket | Refusal]] = {}

    def current(self, ticket: Ticket) -> Ticket:
        """A generated ticket with the moves made on it since."""
        moves = self._moves.get(ticket.ticket_no)
        if not moves:
            return ticket
        history = [*ticket.history, *moves]
        agency = next((h.agency for h in reversed(history) if h.agency), None)
        return ticket.model_copy(update={"history": history, "status": history[-1].status,
                                         "agency": agency})

    def find(self, ticket_no: str, now: datetime) -> Ticket | None:
        if ticket_no in self._filed:
            return self._filed[ticket_no]
        parsed = _parse_ticket_no(ticket_no)
        if parsed is None:
            return None
        place, month, _ = parsed
        return next((self.current(t) for t in generated(place, month, now)
                     if t.ticket_no == ticket_no), None)

    def filed_in(self, areas: list[str]) -> list[Ticket]:
        return [t for t in self._filed.values()
                if any(t.area_code.startswith(a) for a in areas)]

    def unknown(self, ticket_no: str) -> Refusal:
        return Refusal(code="not_found", reason=f"ไม่พบเรื่อง {ticket_no}", status=404)

    def _once(self, key: str, request: str,
              make: Callable[[], Ticket | Refusal]) -> Ticket | Refusal:
        """The first answer for this key; a key reused for another request is refused."""
        with self._lock:
            seen = self._answers.get(key)
            if seen is not None:
                if seen[0] != request:
                    return Refusal(code="idempotency_key_reused",
                                   reason="this Idempotency-Key was used for another request")
                return seen[1]
            answer = make()
            self._answers[key] = (request, answer)
            return answer

    def file(self, key: str, filing: Filing, now: datetime) -> Ticket | Refusal:
        def make() -> Ticket | Refusal:
            refusal = self._check_filing(filing)
            if refusal is not None:
                return refusal
            number_ = f"DD{filing.area_code}-{now:%y%m}-W{len(self._filed) + 1:04d}"
            ticket = Ticket(
                ticket_no=number_, area_code=filing.area_code, category=filing.category,
                channel=filing.channel, subject=filing.subject, detail=filing.detail,
                complainant=filing.complainant, received_at=now, status=centre.RECEIVED,
                history=[HistoryEntry(status=centre.RECEIVED, at=now, by=filing.by)])
            self._filed[number_] = ticket
            return ticket

        return self._once(key, "file:" + filing.model_dump_json(), make)

    def _check_filing(self, filing: Filing) -> Refusal | None:
        phone = filing.complainant.phone
        if filing.area_code not in self._known:
            return Refusal(code="unknown_area", reason=f"ไม่รู้จักพื้นที่ {filing.area_code}")
        if filing.category not in dict(CATEGORIES):
            return Refusal(code="unknown_category", reason=f"ไม่รู้จักประเภท {filing.category}")
        if phone and not (phone.isdigit() and phone.startswith("0") and 9 <= len(phone) <= 10):
            return Refusal(code="invalid_phone",
                           reason="หมายเลขโทรศัพท์ต้องเป็นตัวเลข 9–10 หลักขึ้นต้นด้วย 0")
        return None

    def move(self, key: str, ticket_no: str, move: Move, now: datetime) -> Ticket | Refusal:
        def make() -> Ticket | Refusal:
            ticket = self.find(ticket_no, now)
            if ticket is None:
                return self.unknown(ticket_no)
            refused = centre.move_refusal(ticket.status, move.status, move.agency, move.note)
            if refused is not None:
                return Refusal(code="illegal_transition",
                               reason=f"ศูนย์ดำรงธรรมปฏิเสธ: {refused}")
            entry = HistoryEntry(status=move.status, at=now, by=move.by, agency=move.agency,
                                 note=move.note or None)
            if ticket_no in self._filed:
                history = [*ticket.history, entry]
                self._filed[ticket_no] = ticket.model_copy(update={
                    "history": history, "status": move.status,
                    "agency": move.agency or ticket.agency})
                return self._filed[ticket_no]
            self._moves.setdefault(ticket_no, []).append(entry)
            return self.find(ticket_no, now) or ticket

        return self._once(key, f"move:{ticket_no}:" + move.model_dump_json(), make)

    def filed_count(self, area: str, first: date, last: date) -> int:
        return sum(1 for t in self.filed_in([area])
                   if first <= t.received_at.date() <= last)
