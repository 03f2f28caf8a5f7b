"""Principals of recently verified bearer tokens, so a client's every request is not one more
signature check.

A token's text is the key: the same text was signed by the same key and carries the same
claims, so it maps to the same Principal until it expires. An entry lives until the token's
`exp` (never with the verifier's leeway) and at most `max_age` seconds, so a signing key
withdrawn from the identity provider's JWKS stops being honoured within that time. API keys
are never cached here: revoking one takes effect at once. When full, expired entries go first,
then the least recently used.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cachetools import TLRUCache

from areagraph.auth.principal import Principal


def _until(_token: str, entry: tuple[float, Principal], _now: float) -> float:
    return entry[0]


class PrincipalCache:
    def __init__(self, max_entries: int = 10_000, max_age: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._entries: TLRUCache[str, tuple[float, Principal]] = TLRUCache(
            maxsize=max_entries, ttu=_until, timer=clock)
        self._max_age = max_age
        self._clock = clock

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        return None if entry is None else entry[1]

    def put(self, token: str, principal: Principal) -> None:
        now = self._clock()
        until = now + self._max_age
        if principal.expires_at is not None:
            until = min(until, principal.expires_at.timestamp())
        if until > now:
            self._entries[token] = (until, principal)
