"""Verified tokens' principals are reused only while the token is valid, and briefly."""

from __future__ import annotations

from datetime import UTC, datetime

from areagraph.auth.principal import Principal, Role
from areagraph.auth.token_cache import PrincipalCache


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _principal(expires: float) -> Principal:
    return Principal(subject="s", roles=frozenset({Role.EXECUTIVE}),
                     expires_at=datetime.fromtimestamp(expires, UTC))


def test_kept_until_the_token_expires() -> None:
    clock = Clock()
    cache = PrincipalCache(max_age=60, clock=clock)
    principal = _principal(clock.now + 10)
    cache.put("t", principal)
    assert cache.get("t") is principal
    assert cache.get("other") is None
    clock.now += 10
    assert cache.get("t") is None  # expired: verified afresh (and refused) next time


def test_kept_at_most_max_age() -> None:
    clock = Clock()
    cache = PrincipalCache(max_age=60, clock=clock)
    cache.put("t", _principal(clock.now + 3600))
    clock.now += 59
    assert cache.get("t") is not None
    clock.now += 1
    assert cache.get("t") is None


def test_expired_tokens_are_not_kept_and_size_is_bounded() -> None:
    clock = Clock()
    cache = PrincipalCache(max_entries=2, clock=clock)
    cache.put("old", _principal(clock.now - 1))
    assert cache.get("old") is None
    for token in ("a", "b", "c"):
        cache.put(token, _principal(clock.now + 100))
    assert cache.get("a") is None and cache.get("b") and cache.get("c")


def test_when_full_expired_entries_go_first_then_the_least_recently_used() -> None:
    clock = Clock()
    cache = PrincipalCache(max_entries=3, clock=clock)
    cache.put("short", _principal(clock.now + 5))
    for token in ("a", "b"):
        cache.put(token, _principal(clock.now + 100))
    clock.now += 5
    cache.put("c", _principal(clock.now + 100))  # "short" has expired: it makes the room
    assert [cache.get(t) is not None for t in ("a", "b", "c")] == [True, True, True]
    cache.get("a")  # in use: "b" is now the least recently used
    cache.put("d", _principal(clock.now + 100))
    assert [cache.get(t) is not None for t in ("a", "b", "c", "d")] == [True, False, True, True]
