"""The development issuer: `areagraph token`, accepted only when development tokens are on."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from areagraph.api.cli.main import cli
from areagraph.api.clients import auth_config
from areagraph.auth.authenticate import Authenticator
from areagraph.auth.principal import Role
from areagraph.connectors.local.database import Database
from areagraph.core.settings import Settings
from tests.conftest import Gateway, serve

QUERY = '{ area(code: "34") { code } }'


def cli_token(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("AREAGRAPH_DEV_KEY_PATH", str(settings.dev_key_path))
    monkeypatch.setenv("AREAGRAPH_OIDC_AUDIENCE", settings.oidc_audience)
    result = CliRunner().invoke(cli, ["token", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


async def test_dev_token_accepted_only_when_enabled(gateway: Gateway, settings: Settings,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    token = cli_token(settings, monkeypatch, "--role", "governor", "--role", "auditor",
                      "--area", "34", "--agency", "DOPA", "--topic", "poverty",
                      "--sub", "khun.somsak", "--ttl", "600")
    assert stat.S_IMODE(settings.dev_key_path.stat().st_mode) == 0o600
    gateway.logout()
    headers = {"Authorization": f"Bearer {token}"}
    response = await gateway.client.post("/graphql", json={"query": QUERY}, headers=headers)
    assert response.status_code == 200 and response.json()["data"] == {"area": {"code": "34"}}
    principal = await gateway.services.authenticate(headers)
    assert principal is not None
    assert (principal.subject, principal.roles, principal.area_scope, principal.agency) == (
        "khun.somsak", {Role.GOVERNOR, Role.AUDITOR}, ("34",), "DOPA")

    async for closed in serve(settings.model_copy(update={"dev_tokens": False})):
        response = await closed.client.post("/graphql", json={"query": QUERY}, headers=headers)
        assert response.status_code == 401
        assert response.json()["errors"] == [{"message": "token issuer not accepted",
                                              "extensions": {"code": "UNAUTHENTICATED"}}]


def test_dev_tokens_are_off_unless_set_and_never_in_production(tmp_path: Path) -> None:
    assert Settings(_env_file=None).dev_tokens is False
    production = Settings(_env_file=None, environment="production", dev_tokens=True,
                          database_url=f"sqlite:///{tmp_path / 'unused.db'}")
    with pytest.raises(RuntimeError, match="production"):
        Authenticator.from_config(auth_config(production),
                                  Database(production.async_database_url))


def test_token_command_refuses_unknown_roles() -> None:
    result = CliRunner().invoke(cli, ["token", "--role", "superuser"])
    assert result.exit_code != 0 and not result.stdout
