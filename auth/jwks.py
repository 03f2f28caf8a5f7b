"""Where token signing keys come from: the identity provider's JWKS, or keys we hold ourselves."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, OKPKey, RSAKey

log = logging.getLogger("areagraph.auth")

PublicKey = RSAKey | ECKey | OKPKey
_ASYMMETRIC = {"RSA", "EC", "OKP"}


class KeySource(Protocol):
    async def get(self, kid: str) -> PublicKey | None:
        """The verification key with this id, or None when the source has none."""
        ...


def public_keys(jwks: Any) -> dict[str, PublicKey]:
    """The usable signature keys of a JWKS document, by kid.

    Symmetric (``oct``) keys and encryption keys are dropped: accepting an ``oct`` key would let
    an HMAC token verify, and keys without a ``kid`` cannot be chosen unambiguously.
    """
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    keys: dict[str, PublicKey] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("kty") not in _ASYMMETRIC:
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or entry.get("use", "sig") != "sig":
            continue
        public = {k: v for k, v in entry.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        try:
            key = JWKRegistry.import_key(public)
        except (JoseError, ValueError, TypeError):
            log.warning("ignoring a JWKS entry that is not a valid public key (kid %r)", kid)
            continue
        if isinstance(key, RSAKey | ECKey | OKPKey):
            keys[kid] = key
    return keys


class StaticKeySet:
    """Keys known when the gateway starts, such as the development issuer's public key."""

    def __init__(self, keys: Iterable[PublicKey]) -> None:
        self._keys = {key.kid: key for key in keys if key.kid}

    async def get(self, kid: str) -> PublicKey | None:
        return self._keys.get(kid)


class RemoteKeySet:
    """An identity provider's JWKS, fetched on first use and cached.

    The set is fetched again when it is older than ``max_age`` or a token names a kid we do not
    know (the provider rotated its keys) — but never more often than ``min_interval`` seconds, so
    tokens with made-up kids cannot make us hammer the provider.
    """

    def __init__(self, url: str, client: httpx.AsyncClient, *, min_interval: float = 30.0,
                 max_age: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self._client = client
        self._min_interval = min_interval
        self._max_age = max_age
        self._clock = clock
        self._keys: dict[str, PublicKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self, kid: str) -> PublicKey | None:
        if self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age:
            await self._refresh()
        if kid not in self._keys:
            await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        async with self._lock:
            now = self._clock()
            if self._attempted_at is not None and now - self._attempted_at < self._min_interval:
                return
            self._attempted_at = now
            self.fetches += 1
            try:
                response = await self._client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
                keys = public_keys(response.json())
            except (httpx.HTTPError, ValueError) as error:
                log.warning("could not fetch the JWKS from %s: %s", self.url, error)
                return
            if not keys:
                log.warning("the JWKS at %s holds no usable signature keys", self.url)
                return
            self._keys = keys
            self._fetched_at = now
