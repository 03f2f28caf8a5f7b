"""What the domain flows are given when called without GraphQL: a caller, lookups (a request's
loaders, as resolvers pass them), and an audit recorder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth import audit
from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local.database import Database
from areagraph.domain.ports import AuditRecorder
from areagraph.resolvers.loaders import Loaders


def principal(role: str, areas: Sequence[str] = (), subject: str = "tester",
              agency: str | None = None) -> Principal:
    return Principal(subject=subject, roles=frozenset({Role(role)}), area_scope=tuple(areas),
                     agency=agency)


@dataclass
class AuditLog:
    """An audit recorder that keeps what it was asked to record."""

    calls: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    def __call__(self, session: AsyncSession, principal: Principal,
                 changes: list[dict[str, Any]]) -> None:
        self.calls.append((principal.subject, changes))


def lookups(db: Database) -> dict[str, Any]:
    """Indicator and area lookups, as a request's loaders give them."""
    loaders = Loaders(db)
    return {"indicators": loaders.indicator, "areas": loaders.area}


def audited(operation: str) -> AuditRecorder:
    """An audit recorder that writes the audit record, named by `operation`."""

    def record(session: AsyncSession, principal: Principal,
               changes: list[dict[str, Any]]) -> None:
        audit.record(session, principal, operation=operation, query="", changes=changes)

    return record
