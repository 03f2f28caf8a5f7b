"""The dashboard's routes: its files under /dashboard/ (any of its URLs opens the page), its
start-up configuration, and the development-token picker, which exists only while the gateway
accepts development tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from areagraph.api.pages.dashboard import DEV_TOKEN_PATH
from tests.api.conftest import OpenGateway

PAGE = "<!doctype html><title>แดชบอร์ด</title>"


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("not for the web", encoding="utf-8")
    return tmp_path


async def test_every_dashboard_url_opens_the_page(open_gateway: OpenGateway, web_dir: Path,
                                                  ) -> None:
    gateway = await open_gateway(web_dir=web_dir)
    for url in ("/dashboard/", "/dashboard/areas/34", "/dashboard/topics/poverty?area=34"):
        response = await gateway.client.get(url)
        assert response.status_code == 200, url
        assert response.text == PAGE
        assert response.headers["cache-control"] == "no-cache"


async def test_built_files_are_served_and_nothing_outside(open_gateway: OpenGateway,
                                                          web_dir: Path) -> None:
    gateway = await open_gateway(web_dir=web_dir)
    asset = await gateway.client.get("/dashboard/assets/app-1234.js")
    assert asset.status_code == 200 and asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    escaped = await gateway.client.get("/dashboard/%2E%2E/secret.txt")
    assert "not for the web" not in escaped.text


async def test_an_unbuilt_dashboard_says_how_to_build_it(open_gateway: OpenGateway,
                                                         tmp_path: Path) -> None:
    gateway = await open_gateway(web_dir=tmp_path / "missing")
    response = await gateway.client.get("/dashboard/")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert "npm run build" in response.json()["message"]


async def test_the_configuration_names_the_identity_provider(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(oidc_issuer="https://sso.moi.go.th/realms/moi",
                                 oidc_client_id="moi-dashboard", dev_tokens=False)
    config = (await gateway.client.get("/dashboard/config.json")).json()
    assert config["oidc"] == {"issuer": "https://sso.moi.go.th/realms/moi",
                              "clientId": "moi-dashboard", "audience": "areagraph"}
    assert config["devTokens"] is False
    assert config["graphqlPath"] == "/graphql"


async def test_the_picker_mints_a_token_for_the_role_and_area(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway()
    assert (await gateway.client.get("/dashboard/config.json")).json()["devTokens"] is True
    response = await gateway.client.post(DEV_TOKEN_PATH,
                                         json={"roles": ["governor"], "areas": ["34"]})
    assert response.status_code == 200
    token = response.json()["token"]
    me = await gateway.query("{ me { roles areaScope via } }",
                             headers={"Authorization": f"Bearer {token}"})
    assert me["data"]["me"] == {"roles": ["governor"], "areaScope": ["34"], "via": "token"}


async def test_the_picker_refuses_an_unknown_role(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway()
    response = await gateway.client.post(DEV_TOKEN_PATH, json={"roles": ["emperor"]})
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_USER_INPUT"


async def test_the_picker_is_absent_unless_dev_tokens_are_on(open_gateway: OpenGateway) -> None:
    gateway = await open_gateway(dev_tokens=False)
    response = await gateway.client.post(DEV_TOKEN_PATH,
                                         json={"roles": ["ministry_admin"], "areas": []})
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert "token" not in response.json()
    assert (await gateway.client.get("/dashboard/config.json")).json()["devTokens"] is False
