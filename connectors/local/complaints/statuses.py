"""The values the `complaint.status` and `complaint_transition.*_status` columns hold.

They are what the store writes and the Damrongdhama sync compares, so the store names them;
which moves between them are legal, and which count as open, is the workflow's rule
(domain/complaints/states.py)."""

from __future__ import annotations

RECEIVED = "received"
ACCEPTED = "accepted"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
REFERRED = "referred"
REJECTED = "rejected"
RESOLVED = "resolved"
CLOSED = "closed"
