"""`me`: who the gateway takes the caller to be (null for an anonymous caller)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from areagraph.auth.principal import Principal
from areagraph.resolvers.context import Info


@strawberry.type(description="The authenticated caller: roles, area scope and agency.")
class Me:
    subject: str
    roles: list[str]
    area_scope: list[str] = strawberry.field(description="DOPA codes; empty means no area scope.")
    agency: str | None
    topics: list[str]
    via: str = strawberry.field(description="How the caller authenticated: token or api_key.")
    expires_at: datetime | None

    @classmethod
    def from_principal(cls, principal: Principal) -> Me:
        return cls(subject=principal.subject, roles=principal.role_names,
                   area_scope=list(principal.area_scope), agency=principal.agency,
                   topics=list(principal.topics), via=principal.via,
                   expires_at=principal.expires_at)


@strawberry.type
class MeQuery:
    @strawberry.field(description="The caller as authenticated; null when anonymous.")
    def me(self, info: Info) -> Me | None:
        principal = info.context.principal
        return None if principal is None else Me.from_principal(principal)
