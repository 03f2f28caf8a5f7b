"""The identity provider's key set: cached, refetched for a new kid, never hammered."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from areagraph.auth.jwks import RemoteKeySet, public_keys
from tests.auth.conftest import JwksServer, Keys, kid


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


def key_set(server: JwksServer, http: httpx.AsyncClient, clock: FakeClock) -> RemoteKeySet:
    return RemoteKeySet(server.url, http, min_interval=30.0, max_age=3600.0, clock=clock)


async def test_keys_are_fetched_once_and_cached(jwks_server: JwksServer, keys: Keys,
                                                http: httpx.AsyncClient) -> None:
    remote = key_set(jwks_server, http, FakeClock())
    assert await remote.get(kid(keys.rsa)) is not None
    assert await remote.get(kid(keys.ec)) is not None
    assert await remote.get(kid(keys.rsa)) is not None
    assert jwks_server.fetches == 1


async def test_rotation_is_picked_up_by_one_refetch(jwks_server: JwksServer, keys: Keys,
                                                    http: httpx.AsyncClient) -> None:
    clock = FakeClock()
    remote = key_set(jwks_server, http, clock)
    assert await remote.get(kid(keys.rsa)) is not None
    jwks_server.publish(keys.rotated)
    clock.now += 31
    assert await remote.get(kid(keys.rotated)) is not None
    assert jwks_server.fetches == 2


async def test_unknown_kids_cannot_make_us_hammer_the_provider(
        jwks_server: JwksServer, keys: Keys, http: httpx.AsyncClient) -> None:
    clock = FakeClock()
    remote = key_set(jwks_server, http, clock)
    assert await remote.get(kid(keys.rsa)) is not None
    for n in range(20):
        assert await remote.get(f"made-up-{n}") is None
    assert jwks_server.fetches == 1
    clock.now += 31
    assert await remote.get("made-up-again") is None
    assert await remote.get("and-again") is None
    assert jwks_server.fetches == 2


async def test_an_old_set_is_refreshed(jwks_server: JwksServer, keys: Keys,
                                       http: httpx.AsyncClient) -> None:
    clock = FakeClock()
    remote = key_set(jwks_server, http, clock)
    assert await remote.get(kid(keys.rsa)) is not None
    jwks_server.publish(keys.rotated)
    clock.now += 3601
    assert await remote.get(kid(keys.rsa)) is None  # withdrawn by the provider
    assert jwks_server.fetches == 2


async def test_provider_outage_keeps_the_cached_keys(jwks_server: JwksServer, keys: Keys,
                                                     http: httpx.AsyncClient) -> None:
    clock = FakeClock()
    remote = key_set(jwks_server, http, clock)
    assert await remote.get(kid(keys.rsa)) is not None
    jwks_server.failing = True
    clock.now += 3601
    assert await remote.get(kid(keys.rsa)) is not None
    assert jwks_server.fetches == 2


def test_symmetric_and_encryption_keys_are_never_used(keys: Keys) -> None:
    jwks = {"keys": [
        {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"},
        {**keys.rsa.as_dict(private=False), "kid": "enc", "use": "enc"},
        {k: v for k, v in keys.ec.as_dict(private=False).items() if k != "kid"},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        keys.rsa.as_dict(private=False),
    ]}
    found = public_keys(jwks)
    assert list(found) == [kid(keys.rsa)]
    assert not found[kid(keys.rsa)].is_private
