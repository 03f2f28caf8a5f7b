"""Bearer JWTs: verify the signature and registered claims, then map the claims to a Principal."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jws import extract_compact

from areagraph.auth.area_scope import AreaDirectory, normalise
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.jwks import KeySource
from areagraph.auth.principal import Principal, Role
from areagraph.core.algorithms import ASYMMETRIC_ALGORITHMS

_MAX_TOKEN_LENGTH = 16_384
_CLAIM_MESSAGES = {
    "iss": "token issuer not accepted",
    "aud": "token audience not accepted",
    "nbf": "token not yet valid",
    "iat": "token not yet valid",
}


@dataclass(frozen=True)
class TrustedIssuer:
    """An issuer we accept tokens from, the audience its tokens must name, and its keys."""

    issuer: str
    audience: str
    keys: KeySource


@dataclass(frozen=True)
class VerifiedToken:
    claims: dict[str, Any]
    kid: str


class TokenVerifier:
    """Checks a compact JWS: allowed algorithm, a key of the token's issuer, iss/aud/exp/nbf."""

    def __init__(self, issuers: Sequence[TrustedIssuer], algorithms: Sequence[str], *,
                 leeway: int = 30, clock: Callable[[], float] = time.time) -> None:
        unsafe = set(algorithms) - ASYMMETRIC_ALGORITHMS
        if unsafe:
            raise ValueError(f"not an asymmetric signature algorithm: {sorted(unsafe)}")
        self._issuers = {i.issuer: i for i in issuers}
        self._algorithms = list(algorithms)
        self._leeway = leeway
        self._clock = clock

    async def verify(self, token: str) -> VerifiedToken:
        """The token's claims once everything checks out; `InvalidCredentials` otherwise."""
        header, unverified = _peek(token)
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in self._algorithms:
            raise InvalidCredentials("token algorithm not accepted")
        if not isinstance(kid, str):
            raise InvalidCredentials("token key not recognised")
        # The unverified issuer only chooses whose keys to try; it is checked again once verified.
        iss = unverified.get("iss")
        issuer = self._issuers.get(iss) if isinstance(iss, str) else None
        if issuer is None:
            raise InvalidCredentials("token issuer not accepted")
        key = await issuer.keys.get(kid)
        if key is None:
            raise InvalidCredentials("token key not recognised")
        if key.alg not in (None, alg):
            raise InvalidCredentials("token algorithm not accepted")
        try:
            claims = jwt.decode(token, key, algorithms=self._algorithms).claims
        except BadSignatureError:
            raise InvalidCredentials("invalid token signature") from None
        except (JoseError, ValueError, TypeError):
            raise InvalidCredentials("malformed token") from None
        self._validate(claims, issuer)
        return VerifiedToken(claims, kid)

    def _validate(self, claims: dict[str, Any], issuer: TrustedIssuer) -> None:
        registry = jwt.JWTClaimsRegistry(
            now=int(self._clock()), leeway=self._leeway,
            iss={"essential": True, "value": issuer.issuer},
            aud={"essential": True, "value": issuer.audience},
            exp={"essential": True}, sub={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise InvalidCredentials("token expired") from None
        except InvalidClaimError as error:
            message = _CLAIM_MESSAGES.get(error.claim, "token claims not accepted")
            raise InvalidCredentials(message) from None
        except (MissingClaimError, JoseError):
            raise InvalidCredentials("token claims not accepted") from None


def _peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims before verification, only to route the token to its key."""
    if len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 2:
        raise InvalidCredentials("malformed token")
    try:
        compact = extract_compact(token.encode("ascii"))
        claims = json.loads(compact.payload)
    except (JoseError, ValueError, UnicodeError):
        raise InvalidCredentials("malformed token") from None
    if not isinstance(claims, dict):
        raise InvalidCredentials("malformed token")
    return dict(compact.headers()), claims


class ClaimsMapper:
    """Turns verified claims into a Principal, refusing roles and areas we do not know."""

    def __init__(self, areas: AreaDirectory) -> None:
        self._areas = areas

    async def principal(self, token: VerifiedToken) -> Principal:
        claims = token.claims
        subject = claims.get("sub")
        if not isinstance(subject, str) or not 0 < len(subject) <= 200:
            raise InvalidCredentials("token claims not accepted")
        roles = _roles(claims.get("roles", []))
        areas = await self._area_scope(claims.get("areas", []))
        agency = claims.get("agency")
        if agency is not None and (not isinstance(agency, str) or len(agency) > 16):
            raise InvalidCredentials("token claims not accepted")
        jti = claims.get("jti")
        credential = jti if isinstance(jti, str) and jti else f"kid:{token.kid}"
        try:
            expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
        except (OverflowError, OSError, ValueError):
            raise InvalidCredentials("token claims not accepted") from None
        return Principal(
            subject=subject,
            roles=roles,
            area_scope=areas,
            agency=agency,
            topics=_strings(claims.get("topics", [])),
            credential_id=credential[:64],
            expires_at=expires_at,
            via="token",
        )

    async def _area_scope(self, value: Any) -> tuple[str, ...]:
        codes = [normalise(c) for c in _strings(value)]
        if any(c is None for c in codes):
            raise InvalidCredentials("token area not recognised")
        known = [c for c in codes if c is not None]
        if await self._areas.unknown(known):
            raise InvalidCredentials("token area not recognised")
        return tuple(dict.fromkeys(known))


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidCredentials("token claims not accepted")
    return tuple(value)


def _roles(value: Any) -> frozenset[Role]:
    try:
        return frozenset(Role(name) for name in _strings(value))
    except ValueError:
        raise InvalidCredentials("token role not recognised") from None
