"""API keys for partner agencies and machine clients: created and revoked by an administrator.

A key reads ``ag_<id>.<secret>``. Only a SHA-256 hash of the secret is stored: the secret is 256
random bits, so a fast hash is enough (there is nothing to brute-force as with passwords).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.area_scope import AreaDirectory, normalise
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local.database import Database
from areagraph.connectors.local.models import ApiKey
from areagraph.core.clock import utcnow
from areagraph.core.errors import BadUserInput

PREFIX = "ag_"
LAST_USED_GRANULARITY = timedelta(minutes=1)
_ROLE_NAMES = frozenset(r.value for r in Role)
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True)
class IssuedApiKey:
    """A new key's record and the key itself, which is shown once and never stored."""

    record: ApiKey
    key: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parse(presented: str) -> tuple[str, str] | None:
    if not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    key_id, dot, secret = presented.removeprefix(PREFIX).partition(".")
    if not dot or not key_id or not secret:
        return None
    return key_id, secret


# Called inside the write's transaction, so the audit record commits (or not) with it.
WriteHook = Callable[[AsyncSession, ApiKey], None]


def looks_like_api_key(credential: str) -> bool:
    return credential.startswith(PREFIX)


async def create_api_key(db: Database, *, name: str, roles: Sequence[str], created_by: str,
                         area_scope: Sequence[str] = (), topics: Sequence[str] = (),
                         agency: str | None = None, expires_in_days: int | None = None,
                         default_days: int = 0, on_write: WriteHook | None = None
                         ) -> IssuedApiKey:
    """Create a key; `BadUserInput` names the first unknown role or area. Without
    `expires_in_days` it expires after `default_days` (0: never)."""
    name = name.strip()
    if not 0 < len(name) <= 200:
        raise BadUserInput("name must be 1 to 200 characters", argument="name")
    if agency is not None and not 0 < len(agency) <= 16:
        raise BadUserInput("agency must be 1 to 16 characters", argument="agency")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise BadUserInput("expiresInDays must be 1 to 3650", argument="expiresInDays")
    if expires_in_days is None and default_days > 0:
        expires_in_days = default_days
    record = ApiKey(
        id=secrets.token_hex(8), name=name, secret_hash="",
        roles=sorted({_role(r).value for r in roles}),
        area_scope=await _known_areas(db, area_scope), topics=list(dict.fromkeys(topics)),
        agency_code=agency, created_by=created_by,
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    secret = secrets.token_urlsafe(32)
    record.secret_hash = _hash(secret)
    async with db.unit_of_work() as session:
        session.add(record)
        if on_write is not None:
            on_write(session, record)
    return IssuedApiKey(record, f"{PREFIX}{record.id}.{secret}")


def _role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise BadUserInput(f"unknown role {name!r}; known roles: {known}",
                           argument="roles") from None


async def _known_areas(db: Database, codes: Sequence[str]) -> list[str]:
    normalised: list[str] = []
    for code in codes:
        short = normalise(code)
        if short is None:
            raise BadUserInput(f"invalid area code {code!r}", argument="areaScope")
        normalised.append(short)
    unknown = await AreaDirectory(db).unknown(normalised)
    if unknown:
        raise BadUserInput(f"no area has the code {unknown[0]!r}", argument="areaScope")
    return list(dict.fromkeys(normalised))


async def revoke_api_key(db: Database, key_id: str,
                         on_write: WriteHook | None = None) -> ApiKey | None:
    """Revoke a key (revoking twice keeps the first time); None when there is no such key."""
    async with db.unit_of_work() as session:
        record = await session.get(ApiKey, key_id)
        if record is not None and record.revoked_at is None:
            record.revoked_at = utcnow()
            if on_write is not None:
                on_write(session, record)
        return record


async def list_api_keys(db: Database) -> list[ApiKey]:
    async with db.session() as session:
        result = await session.execute(select(ApiKey).order_by(ApiKey.created_at))  # type: ignore[arg-type]
        return list(result.scalars())


async def verify_api_key(db: Database, presented: str, *, now: datetime | None = None
                         ) -> Principal:
    """The principal of a valid key; `InvalidCredentials` for an unknown, revoked or expired one."""
    now = now or utcnow()
    parsed = _parse(presented)
    key_id, secret = parsed if parsed else ("", "")
    async with db.session() as session:
        record = await session.get(ApiKey, key_id) if parsed else None
    stored = record.secret_hash if record is not None else _DUMMY_HASH
    # Compared even for an unknown id, so the time taken does not tell which ids exist.
    if not hmac.compare_digest(_hash(secret), stored) or record is None:
        raise InvalidCredentials("invalid API key")
    if record.revoked_at is not None:
        raise InvalidCredentials("API key revoked")
    if record.expires_at is not None and record.expires_at <= now:
        raise InvalidCredentials("API key expired")
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_GRANULARITY:
        await _touch(db, record.id, now)
    return Principal(
        subject=f"api-key:{record.id}",
        roles=frozenset(Role(r) for r in record.roles if r in _ROLE_NAMES),
        area_scope=tuple(record.area_scope),
        agency=record.agency_code,
        topics=tuple(record.topics),
        credential_id=record.id,
        expires_at=record.expires_at,
        via="api_key",
        extra={"name": record.name},
    )


async def _touch(db: Database, key_id: str, now: datetime) -> None:
    async with db.unit_of_work() as session:
        await session.execute(update(ApiKey).where(ApiKey.id == key_id)  # type: ignore[arg-type]
                              .values(last_used_at=now))
