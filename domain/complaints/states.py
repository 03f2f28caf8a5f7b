"""The Damrongdhama complaint workflow as a state machine: which moves are legal, and what each
needs (an agency to assign or refer to; a reason to reject, refer or reopen). The status values
are the store's (connectors/local/complaint_statuses.py); the rules over them live here."""

from __future__ import annotations

from collections.abc import Mapping

from areagraph.connectors.local.complaints.statuses import (
    ACCEPTED,
    ASSIGNED,
    CLOSED,
    IN_PROGRESS,
    RECEIVED,
    REFERRED,
    REJECTED,
    RESOLVED,
)

__all__ = ["ACCEPTED", "ASSIGNED", "CLOSED", "IN_PROGRESS", "NEEDS_AGENCY", "OPEN", "RECEIVED",
           "REFERRED", "REJECTED", "RESOLVED", "STATUSES", "TRANSITIONS", "IllegalTransition",
           "check_transition", "is_open"]

TRANSITIONS: Mapping[str, frozenset[str]] = {
    RECEIVED: frozenset({ACCEPTED, REJECTED, REFERRED}),
    ACCEPTED: frozenset({ASSIGNED, REJECTED, REFERRED}),
    ASSIGNED: frozenset({IN_PROGRESS, REFERRED, REJECTED}),
    IN_PROGRESS: frozenset({RESOLVED, REFERRED}),
    # Referred out: the receiving body may hand it back to an agency, or keep it (closed here).
    REFERRED: frozenset({ASSIGNED, CLOSED}),
    RESOLVED: frozenset({CLOSED, IN_PROGRESS}),  # reopened when the complainant disputes it
    REJECTED: frozenset({CLOSED}),
    CLOSED: frozenset(),
}
STATUSES = frozenset(TRANSITIONS)
OPEN = frozenset({RECEIVED, ACCEPTED, ASSIGNED, IN_PROGRESS, REFERRED})
NEEDS_AGENCY = frozenset({ASSIGNED, REFERRED})


class IllegalTransition(ValueError):
    """A move the workflow does not allow, with the reason a client can show."""

    def __init__(self, reason: str, field: str = "toStatus") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def check_transition(current: str, target: str, agency_code: str | None, note: str) -> None:
    """Raise `IllegalTransition` unless `current` → `target` is allowed with these details."""
    if target not in STATUSES:
        raise IllegalTransition(f"unknown status {target!r}")
    allowed = TRANSITIONS.get(current, frozenset())
    if target not in allowed:
        options = ", ".join(sorted(allowed)) or "none: the case is closed"
        raise IllegalTransition(f"a {current} complaint cannot become {target} "
                                f"(allowed: {options})")
    if target in NEEDS_AGENCY and not agency_code:
        raise IllegalTransition(f"moving to {target} needs the agency", field="agencyCode")
    if (target in (REJECTED, REFERRED) or (current, target) == (RESOLVED, IN_PROGRESS)) \
            and not note.strip():
        raise IllegalTransition(f"moving to {target} needs a note saying why", field="note")


def is_open(status: str) -> bool:
    return status in OPEN
