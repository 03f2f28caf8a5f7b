"""API keys: listing, creating and revoking them, each write in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth import api_keys
from areagraph.auth.api_keys import IssuedApiKey, WriteHook
from areagraph.auth.policy import Capability, require
from areagraph.auth.principal import Principal
from areagraph.connectors.local.models import ApiKey as ApiKeyRow
from areagraph.core.errors import NotFound
from areagraph.resolvers.context import Info
from areagraph.resolvers.write_audit import record_write

__all__ = ["ApiKeyRow", "create", "list_all", "revoke"]


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


async def list_all(info: Info) -> Sequence[ApiKeyRow]:
    """Every API key's record, oldest first."""
    _admin(info)
    return await api_keys.list_api_keys(info.context.db)


async def create(info: Info, *, name: str, roles: list[str], area_scope: list[str],
                 topics: list[str], agency: str | None,
                 expires_in_days: int | None) -> IssuedApiKey:
    admin = _admin(info)
    return await api_keys.create_api_key(
        info.context.db, name=name, roles=roles, created_by=admin.subject,
        area_scope=area_scope, topics=topics, agency=agency, expires_in_days=expires_in_days,
        default_days=info.context.settings.api_key_default_days,
        on_write=_audited(info, admin, "create"),
    )


async def revoke(info: Info, key_id: str) -> ApiKeyRow:
    admin = _admin(info)
    row = await api_keys.revoke_api_key(info.context.db, key_id,
                                        on_write=_audited(info, admin, "revoke"))
    if row is None:
        raise NotFound("no API key has this id", argument="id")
    return row
