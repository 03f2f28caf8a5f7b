"""GraphiQL is served from the gateway's own files: the page names no other host."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from areagraph.api.pages.explorer_examples import examples
from areagraph.api.pages.graphiql import (
    ASSETS_PATH,
    EXPLORER_SCRIPT_PATH,
    SIGNIN_SCRIPT_PATH,
    assets,
)
from tests.conftest import Gateway

_REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')


async def test_the_page_references_no_external_host(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    references = _REFERENCE.findall(page)
    # GraphiQL's files, our examples plugin, the sign-in control, the inline favicon and the
    # dashboard link.
    assert len(references) == len(assets()) + 4
    for reference in references:
        parts = urlsplit(reference)
        assert parts.scheme in ("", "data") and not parts.netloc, reference
    assert "unpkg.com" not in page and "cdn" not in page.lower()


async def test_every_file_is_served_as_published_on_npm(http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    for asset in assets():
        url = f"{ASSETS_PATH}/{asset.local_path}"
        assert f'"{url}"' in page
        response = await http_gateway.client.get(url)
        assert response.status_code == 200, url
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert f"sha384-{digest}" == asset.integrity, url


async def test_the_page_has_a_header_editor_and_subscriptions(http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    assert "isHeadersEditorEnabled: true" in page  # where auditors paste their token
    assert "subscriptionUrl" in page  # graphql-ws on the same URL


async def test_the_page_loads_the_sign_in_control_and_signs_its_fetcher(
        http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    assert f'<script type="module" src="{SIGNIN_SCRIPT_PATH}">' in page
    assert "window.areagraphSignedInFetcher(GraphiQL.createFetcher, " in page
    script = (await http_gateway.client.get(EXPLORER_SCRIPT_PATH)).text
    assert "window.areagraphSignedInFetcher = " in script


def test_example_links_encode_spaces_as_the_page_decodes_them() -> None:
    # The page decodes its parameters with decodeURIComponent, which leaves a "+" as it is.
    for example in examples():
        assert "+" not in example.link and "%20" in example.link, example.name


async def test_the_page_links_to_the_dashboard(http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    assert 'href="/dashboard/"' in page


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


async def test_a_browser_opening_an_explorer_link_gets_graphiql(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/graphql", params={"query": "{ me { subject } }"}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "parameters.q || parameters.query || EXAMPLE_QUERY" in response.text


async def test_api_clients_asking_the_same_link_get_the_answer(http_gateway: Gateway) -> None:
    for accept in ("application/json", "application/graphql-response+json", "*/*",
                   "text/html;q=0.5, application/json"):
        response = await http_gateway.client.get(
            "/graphql", params={"query": "{ me { subject } }"},
            headers={"Accept": accept, **http_gateway.headers})
        assert response.status_code == 200, accept
        assert response.json()["data"] == {"me": {"subject": "admin"}}, accept


async def test_the_page_lists_every_example_with_its_link(http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    assert "window.areagraphExamplesPlugin" in page
    for example in examples():
        assert example.title_th in page and example.title_en in page
        assert example.link.replace("&", "\\u0026") in page or example.link in page
    script = await http_gateway.client.get(EXPLORER_SCRIPT_PATH)
    assert script.status_code == 200
    assert "areagraphExamplesPlugin" in script.text
