"""Principals of recently verified bearer tokens, so a client's every request is not one more
signature check.

A token's text is the key: the same text was signed by the same key and carries the same
claims, so it maps to the same Principal until it expires. An entry lives until the token's
`exp` (never with the verifier's leeway) and at most `max_age` seconds, so a signing key
withdrawn from the identity provider's JWKS stops being honoured within that time. API keys
are never cached here: revoking one takes effect at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from auth.principal import Principal


class PrincipalCache:
    def __init__(self, max_entries: int = 10_000, max_age: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._max_entries = max_entries
        self._max_age = max_age
        self._clock = clock

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        until, principal = entry
        if self._clock() >= until:
            self._entries.pop(token, None)
            return None
        return principal

    def put(self, token: str, principal: Principal) -> None:
        now = self._clock()
        until = now + self._max_age
        if principal.expires_at is not None:
            until = min(until, principal.expires_at.timestamp())
        if until <= now:
            return
        if len(self._entries) >= self._max_entries:
            for stale in [t for t, (u, _) in self._entries.items() if u <= now]:
                del self._entries[stale]
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]  # the oldest entry
        self._entries[token] = (until, principal)
