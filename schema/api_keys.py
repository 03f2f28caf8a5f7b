"""API keys for partner agencies and machine clients; created and revoked by a ministry admin."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth import api_keys
from areagraph.auth.api_keys import WriteHook
from areagraph.auth.policy import Capability, require
from areagraph.auth.principal import Principal
from areagraph.connectors.local.models import ApiKey as ApiKeyRow
from areagraph.core.errors import NotFound
from areagraph.resolvers.context import Info
from areagraph.resolvers.write_audit import record_write

_ADMIN_ONLY = "Requires the ministry_admin role."


@strawberry.type(description="An API key's record; the key itself is shown only when created.")
class ApiKey:
    id: strawberry.ID
    name: str
    roles: list[str]
    area_scope: list[str]
    topics: list[str]
    agency: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def from_row(cls, row: ApiKeyRow) -> ApiKey:
        return cls(id=strawberry.ID(row.id), name=row.name, roles=list(row.roles),
                   area_scope=list(row.area_scope), topics=list(row.topics),
                   agency=row.agency_code, created_by=row.created_by, created_at=row.created_at,
                   expires_at=row.expires_at, revoked_at=row.revoked_at,
                   last_used_at=row.last_used_at)


@strawberry.type(description="A new API key. `key` is shown this once and cannot be recovered.")
class CreatedApiKey:
    api_key: ApiKey
    key: str = strawberry.field(description="Send as `Authorization: Bearer` or `X-API-Key`.")


@strawberry.input(description="What a new API key may do.")
class CreateApiKeyInput:
    name: str
    roles: list[str] = strawberry.field(description="Role names, e.g. partner.")
    area_scope: list[str] = strawberry.field(default_factory=list,
                                             description="DOPA codes of existing areas.")
    topics: list[str] = strawberry.field(default_factory=list)
    agency: str | None = None
    expires_in_days: int | None = strawberry.field(
        default=None, description="Days until it expires; when null, the gateway's default "
                                  "(AREAGRAPH_API_KEY_DEFAULT_DAYS, 90 unless configured).")


def _admin(info: Info) -> Principal:
    return require(info.context.principal, Capability.MANAGE_API_KEYS)


def _audited(info: Info, principal: Principal, action: str) -> WriteHook:
    def hook(session: AsyncSession, row: ApiKeyRow) -> None:
        record_write(session, info, principal, [{
            "table": "api_key", "key": row.id, "action": action,
            "after": {"name": row.name, "roles": row.roles, "area_scope": row.area_scope,
                      "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None},
        }])
    return hook


@strawberry.type
class ApiKeyQuery:
    @strawberry.field(description=f"All API keys, oldest first (never the keys themselves). "
                                  f"{_ADMIN_ONLY}")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        _admin(info)
        return [ApiKey.from_row(row) for row in await api_keys.list_api_keys(info.context.db)]


@strawberry.type
class ApiKeyMutation:
    @strawberry.mutation(description=f"Create an API key. {_ADMIN_ONLY}")
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreatedApiKey:
        admin = _admin(info)
        issued = await api_keys.create_api_key(
            info.context.db, name=input.name, roles=input.roles, created_by=admin.subject,
            area_scope=input.area_scope, topics=input.topics, agency=input.agency,
            expires_in_days=input.expires_in_days,
            default_days=info.context.settings.api_key_default_days,
            on_write=_audited(info, admin, "create"),
        )
        return CreatedApiKey(api_key=ApiKey.from_row(issued.record), key=issued.key)

    @strawberry.mutation(description=f"Revoke an API key at once. {_ADMIN_ONLY}")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> ApiKey:
        admin = _admin(info)
        row = await api_keys.revoke_api_key(info.context.db, str(id),
                                            on_write=_audited(info, admin, "revoke"))
        if row is None:
            raise NotFound("no API key has this id", argument="id")
        return ApiKey.from_row(row)
