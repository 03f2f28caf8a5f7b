"""API keys: created by an administrator, used as a bearer token or X-API-Key, revoked, expired."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text, update
from typer.testing import CliRunner

from areagraph.api.cli.main import cli
from areagraph.auth.api_keys import create_api_key, list_api_keys, revoke_api_key, verify_api_key
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Role
from areagraph.connectors.local.models import ApiKey
from tests.conftest import Gateway

QUERY = '{ area(code: "34") { code } }'


async def _status(gateway: Gateway, headers: dict[str, str]) -> tuple[int, str | None]:
    response = await gateway.client.post("/graphql", json={"query": QUERY}, headers=headers)
    body = response.json()
    if response.status_code == 401:
        return 401, body["errors"][0]["message"]
    assert body["data"] == {"area": {"code": "34"}}, body
    return response.status_code, None


async def test_api_key_lifecycle(gateway: Gateway) -> None:
    db = gateway.services.database
    gateway.logout()
    issued = await create_api_key(db, name="CDD poverty dashboard", roles=["partner"],
                                  area_scope=["34000000"], topics=["poverty"], agency="CDD",
                                  created_by="admin", expires_in_days=30)
    key_id, secret = issued.key.removeprefix("ag_").split(".")
    assert key_id == issued.record.id and len(secret) >= 43

    async with db.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT * FROM api_key"))).mappings().one()
    assert all(secret not in str(value) for value in stored.values())
    assert stored["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["last_used_at"] is None

    assert await _status(gateway, {"Authorization": f"Bearer {issued.key}"}) == (200, None)
    assert await _status(gateway, {"X-API-Key": issued.key}) == (200, None)
    principal = await gateway.services.authenticate({"X-API-Key": issued.key})
    assert principal is not None
    assert (principal.roles, principal.area_scope, principal.topics, principal.agency) == (
        {Role.PARTNER}, ("34",), ("poverty",), "CDD")
    assert (principal.via, principal.credential_id) == ("api_key", key_id)

    [record] = await list_api_keys(db)
    assert record.last_used_at is not None
    used = record.last_used_at
    await verify_api_key(db, issued.key, now=used + timedelta(seconds=30))
    assert (await list_api_keys(db))[0].last_used_at == used  # at most one write a minute
    await verify_api_key(db, issued.key, now=used + timedelta(seconds=61))
    assert (await list_api_keys(db))[0].last_used_at == used + timedelta(seconds=61)

    for wrong in (f"ag_{key_id}.{secret[:-1]}x", f"ag_0000000000000000.{secret}", "ag_", "ag_x."):
        assert await _status(gateway, {"X-API-Key": wrong}) == (401, "invalid API key")

    revoked = await revoke_api_key(db, key_id)
    assert revoked is not None and revoked.revoked_at is not None
    assert await _status(gateway, {"Authorization": f"Bearer {issued.key}"}) == (
        401, "API key revoked")
    assert await _status(gateway, {"X-API-Key": issued.key}) == (401, "API key revoked")
    assert await revoke_api_key(db, "no-such-key") is None


async def test_expired_api_key_is_refused(gateway: Gateway) -> None:
    db = gateway.services.database
    gateway.logout()
    issued = await create_api_key(db, name="PWA meter feed", roles=["department_officer"],
                                  agency="PWA", created_by="admin", expires_in_days=1)
    assert await _status(gateway, {"X-API-Key": issued.key}) == (200, None)
    with pytest.raises(InvalidCredentials, match="API key expired"):
        await verify_api_key(db, issued.key, now=issued.record.created_at + timedelta(days=2))

    async with db.unit_of_work() as session:
        await session.execute(update(ApiKey).values(
            expires_at=issued.record.created_at - timedelta(seconds=1)))
    assert await _status(gateway, {"X-API-Key": issued.key}) == (401, "API key expired")


async def test_both_headers_at_once_are_refused(gateway: Gateway) -> None:
    issued = await create_api_key(gateway.services.database, name="both", roles=["partner"],
                                  created_by="admin")
    status, message = await _status(gateway, {**gateway.headers, "X-API-Key": issued.key})
    assert status == 401 and message and "not both" in message


def test_apikey_commands(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AREAGRAPH_DATABASE_URL", database_url)
    runner = CliRunner()
    created = runner.invoke(cli, ["apikey", "create", "--name", "DDPM relief feed", "--role",
                                  "partner", "--area", "34", "--topic", "disaster",
                                  "--expires-days", "30"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("ag_") and "\n" not in key
    key_id = key.removeprefix("ag_").split(".")[0]

    listed = runner.invoke(cli, ["apikey", "list"])
    assert key_id in listed.stdout and "active" in listed.stdout
    assert key.split(".")[1] not in listed.output

    assert runner.invoke(cli, ["apikey", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["apikey", "list"]).stdout
    assert runner.invoke(cli, ["apikey", "revoke", "nope"]).exit_code == 1
    refused = runner.invoke(cli, ["apikey", "create", "--name", "x", "--role", "partner",
                                  "--area", "99"])
    assert refused.exit_code != 0 and not refused.stdout
