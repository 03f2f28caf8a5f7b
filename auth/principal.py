"""Who is calling: the subject, their roles, the areas and agency they act for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    MINISTRY_ADMIN = "ministry_admin"
    EXECUTIVE = "executive"
    GOVERNOR = "governor"
    DISTRICT_CHIEF = "district_chief"
    DEPARTMENT_OFFICER = "department_officer"
    COMPLAINT_OFFICER = "complaint_officer"
    PARTNER = "partner"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. `area_scope` holds DOPA codes; empty means no area scope."""

    subject: str
    roles: frozenset[Role]
    area_scope: tuple[str, ...] = ()
    agency: str | None = None
    topics: tuple[str, ...] = ()
    credential_id: str | None = None
    expires_at: datetime | None = None
    via: str = "token"
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def role_names(self) -> list[str]:
        return sorted(r.value for r in self.roles)
