"""Who is calling: a bearer JWT, an API key (as a bearer token or ``X-API-Key``), or nobody."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from areagraph.auth import api_keys, dev_issuer
from areagraph.auth.area_scope import AreaDirectory
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.jwks import RemoteKeySet, StaticKeySet
from areagraph.auth.principal import Principal
from areagraph.auth.token_cache import PrincipalCache
from areagraph.auth.tokens import ClaimsMapper, TokenVerifier, TrustedIssuer
from areagraph.connectors.local.database import Database
from areagraph.core.settings import Settings

if TYPE_CHECKING:
    from areagraph.resolvers.context import Services


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
    def from_settings(cls, settings: Settings, database: Database) -> Authenticator:
        issuers: list[TrustedIssuer] = []
        http = None
        if settings.oidc_issuer and settings.oidc_jwks_url:
            http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
            keys = RemoteKeySet(settings.oidc_jwks_url, http,
                                min_interval=settings.jwks_min_refresh_seconds)
            issuers.append(TrustedIssuer(settings.oidc_issuer, settings.oidc_audience, keys))
        if settings.dev_tokens:
            if settings.environment == "production":
                raise RuntimeError("development tokens cannot be accepted in production")
            public = dev_issuer.public_key(settings.dev_key_path)
            issuers.append(TrustedIssuer(dev_issuer.DEV_ISSUER, settings.oidc_audience,
                                         StaticKeySet([public])))
        verifier = TokenVerifier(issuers, settings.jwt_algorithms,
                                 leeway=settings.jwt_leeway_seconds)
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


async def authenticate(headers: Mapping[str, str], services: Services) -> Principal | None:
    """The caller of a request, by the process's authenticator."""
    if services.authenticator is None:
        if _credential(headers) is None:
            return None
        raise InvalidCredentials("credentials are not accepted here")
    return await services.authenticator.authenticate(headers)
