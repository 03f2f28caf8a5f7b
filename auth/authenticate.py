"""Who is calling: a bearer JWT, an API key (as a bearer token or ``X-API-Key``), or nobody."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from areagraph.auth import api_keys, dev_issuer
from areagraph.auth.area_scope import AreaDirectory
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.jwks import RemoteKeySet, StaticKeySet
from areagraph.auth.principal import Principal
from areagraph.auth.token_cache import PrincipalCache
from areagraph.auth.tokens import ClaimsMapper, TokenVerifier, TrustedIssuer
from areagraph.connectors.local.database import Database


@dataclass(frozen=True)
class AuthConfig:
    """Whose tokens are trusted, and how they are checked (plain values from the settings)."""

    jwt_algorithms: Sequence[str]
    oidc_audience: str = "areagraph"
    oidc_issuer: str | None = None
    oidc_jwks_url: str | None = None
    jwks_min_refresh_seconds: float = 30.0
    jwt_leeway_seconds: int = 30
    dev_tokens: bool = False  # accept tokens signed by the development key
    dev_key_path: Path | None = None
    production: bool = False


class Authenticator:
    """Built once per process; turns a request's headers into a Principal."""

    def __init__(self, database: Database, tokens: TokenVerifier, claims: ClaimsMapper,
                 http: httpx.AsyncClient | None = None) -> None:
        self._database = database
        self._tokens = tokens
        self._claims = claims
        self._http = http
        self._verified = PrincipalCache()

    @classmethod
    def from_config(cls, config: AuthConfig, database: Database) -> Authenticator:
        issuers: list[TrustedIssuer] = []
        http = None
        if config.oidc_issuer and config.oidc_jwks_url:
            http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
            keys = RemoteKeySet(config.oidc_jwks_url, http,
                                min_interval=config.jwks_min_refresh_seconds)
            issuers.append(TrustedIssuer(config.oidc_issuer, config.oidc_audience, keys))
        if config.dev_tokens:
            if config.production:
                raise RuntimeError("development tokens cannot be accepted in production")
            if config.dev_key_path is None:
                raise RuntimeError("development tokens need the development key's path")
            public = dev_issuer.public_key(config.dev_key_path)
            issuers.append(TrustedIssuer(dev_issuer.DEV_ISSUER, config.oidc_audience,
                                         StaticKeySet([public])))
        verifier = TokenVerifier(issuers, config.jwt_algorithms,
                                 leeway=config.jwt_leeway_seconds)
        return cls(database, verifier, ClaimsMapper(AreaDirectory(database)), http)

    async def authenticate(self, headers: Mapping[str, str]) -> Principal | None:
        """None when no credentials were sent; `InvalidCredentials` when they do not hold."""
        credential = _credential(headers)
        if credential is None:
            return None
        if api_keys.looks_like_api_key(credential):
            return await api_keys.verify_api_key(self._database, credential)
        principal = self._verified.get(credential)
        if principal is None:
            principal = await self._claims.principal(await self._tokens.verify(credential))
            self._verified.put(credential, principal)
        return principal

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def _credential(headers: Mapping[str, str]) -> str | None:
    headers = {name.lower(): value for name, value in headers.items()}
    authorization = headers.get("authorization")
    api_key = headers.get("x-api-key")
    if authorization is not None and api_key is not None:
        raise InvalidCredentials("send one credential, not both Authorization and X-API-Key")
    if api_key is not None:
        if not api_keys.looks_like_api_key(api_key.strip()):
            raise InvalidCredentials("invalid API key")
        return api_key.strip()
    if authorization is None:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise InvalidCredentials("use Authorization: Bearer <token or API key>")
    return value.strip()


async def authenticate(headers: Mapping[str, str],
                       authenticator: Authenticator | None) -> Principal | None:
    """The caller of a request, by the process's authenticator (None: nobody's credentials
    are accepted)."""
    if authenticator is None:
        if _credential(headers) is None:
            return None
        raise InvalidCredentials("credentials are not accepted here")
    return await authenticator.authenticate(headers)
