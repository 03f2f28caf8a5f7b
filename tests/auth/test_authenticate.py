"""The authenticator is built from plain values (AuthConfig), not from the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from areagraph.auth.authenticate import AuthConfig, Authenticator, authenticate
from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Role
from areagraph.connectors.local.database import Database
from areagraph.core.settings import Settings


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.async_database_url)  # seeded: claims name known areas
    yield database
    await database.dispose()


async def test_development_tokens_verify_by_the_configured_key(
        tmp_path: Path, database: Database) -> None:
    key_path = tmp_path / "dev-key.json"
    config = AuthConfig(jwt_algorithms=("ES256",), oidc_audience="areagraph-test",
                        dev_tokens=True, dev_key_path=key_path)
    authenticator = Authenticator.from_config(config, database)
    token = issue_token(load_or_create_key(key_path), audience="areagraph-test",
                        subject="khun.malee", roles=[Role.GOVERNOR], areas=["34"])
    try:
        principal = await authenticate({"Authorization": f"Bearer {token}"}, authenticator)
        assert principal is not None
        assert (principal.subject, principal.roles) == ("khun.malee", {Role.GOVERNOR})
        wrong_audience = issue_token(load_or_create_key(key_path), audience="elsewhere",
                                     subject="khun.malee", roles=[Role.GOVERNOR])
        with pytest.raises(InvalidCredentials):
            await authenticator.authenticate({"Authorization": f"Bearer {wrong_audience}"})
    finally:
        await authenticator.aclose()


async def test_development_tokens_are_refused_in_production(
        tmp_path: Path, database: Database) -> None:
    config = AuthConfig(jwt_algorithms=("ES256",), dev_tokens=True,
                        dev_key_path=tmp_path / "dev-key.json", production=True)
    with pytest.raises(RuntimeError, match="production"):
        Authenticator.from_config(config, database)


async def test_without_an_authenticator_only_anonymous_callers_pass() -> None:
    assert await authenticate({}, None) is None
    with pytest.raises(InvalidCredentials):
        await authenticate({"Authorization": "Bearer something"}, None)
