"""GraphiQL is served from the gateway's own files: the page names no other host."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from api.graphiql import ASSETS_PATH, assets
from tests.conftest import Gateway

_REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')


async def test_the_page_references_no_external_host(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    references = _REFERENCE.findall(page)
    assert len(references) == len(assets()) + 2  # the files, the inline favicon, the dashboard
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


async def test_the_page_links_to_the_dashboard(http_gateway: Gateway) -> None:
    page = (await http_gateway.client.get("/graphql", headers={"Accept": "text/html"})).text
    assert 'href="/dashboard/"' in page
