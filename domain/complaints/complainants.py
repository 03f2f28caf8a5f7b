"""A complainant as a caller may see them: in full, masked, or not at all (PDPA: minimum
exposure; whoever shows an unmasked view audits the read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from areagraph.auth.masking import mask_digits, mask_name
from areagraph.auth.policy import PersonalData, personal_access
from areagraph.auth.principal import Principal

PERSONAL_FIELDS = ("name", "phone", "citizen_id")


@dataclass(frozen=True)
class ComplainantView:
    name: str
    phone: str
    citizen_id: str
    masked: bool


def complainant_view(principal: Principal, row: Any) -> ComplainantView | None:
    """A complaint row's complainant as this caller may see them (None: not at all)."""
    access = personal_access(principal, row["area_code"])
    if access is PersonalData.NEVER:
        return None
    if access is PersonalData.FULL:
        return ComplainantView(row["complainant_name"], row["complainant_phone"],
                               row["complainant_citizen_id"], masked=False)
    return ComplainantView(mask_name(row["complainant_name"]),
                           mask_digits(row["complainant_phone"]),
                           mask_digits(row["complainant_citizen_id"]), masked=True)
