"""The ticket workflow of the simulated Damrongdhama system, in its own words.

The centre is a separate system: the statuses it sends and the moves it allows are its own,
published with its API (openapi/sources/damrongdhama.yaml, `Ticket.status`, `Move.status`).
areagraph stores them as they come, so they happen to be the same values as areagraph's today.
"""

from __future__ import annotations

STATUSES = ("received", "accepted", "assigned", "in_progress", "referred", "rejected",
            "resolved", "closed")
RECEIVED, ACCEPTED, ASSIGNED, IN_PROGRESS, REFERRED, REJECTED, RESOLVED, CLOSED = STATUSES

# What each status may become at the centre.
_NEXT: dict[str, tuple[str, ...]] = {
    RECEIVED: (ACCEPTED, REFERRED, REJECTED),
    ACCEPTED: (ASSIGNED, REFERRED, REJECTED),
    ASSIGNED: (IN_PROGRESS, REFERRED, REJECTED),
    IN_PROGRESS: (REFERRED, RESOLVED),
    REFERRED: (ASSIGNED, CLOSED),
    RESOLVED: (CLOSED, IN_PROGRESS),
    REJECTED: (CLOSED,),
    CLOSED: (),
}


def move_refusal(status: str, to: str, agency: str | None, note: str) -> str | None:
    """Why the centre refuses to move a ticket from `status` to `to` (None: it does not)."""
    if to not in _NEXT.get(status, ()):
        return f"เรื่องสถานะ {status} เปลี่ยนเป็น {to} ไม่ได้"
    if to in (ASSIGNED, REFERRED) and not agency:
        return f"การเปลี่ยนเป็น {to} ต้องระบุหน่วยงาน"
    reopened = status == RESOLVED and to == IN_PROGRESS
    if (to in (REJECTED, REFERRED) or reopened) and not note.strip():
        return f"การเปลี่ยนเป็น {to} ต้องระบุเหตุผล"
    return None
