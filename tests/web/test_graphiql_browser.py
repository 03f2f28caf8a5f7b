"""GraphiQL (/graphql) in headless Chromium, every other host refused: signing in with an OpenID
provider the test runs on 127.0.0.1 (authorization code with PKCE), the demo picker, an example
opened by click, a shared ?query= link, and the month's audit trail as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from areagraph.connectors.simulators.server import RunningSimulator
from areagraph.core.clock import BANGKOK
from tests.api.pages.test_explorer_examples import FILE, READ_COMPLAINANT
from tests.databases import TemplateDatabases
from tests.web.conftest import WEB, Browser, gateway_browser
from tests.web.oidc_provider import AUDIENCE, CLIENT_ID, Provider, RunningProvider

SCRIPT = WEB / "e2e" / "graphiql.mjs"
ME = "{ me { subject roles } }"


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = RunningProvider(Provider())
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def oidc_browser(templates: TemplateDatabases, dev_key_path: Path, sample_database: str,
                 simulators: dict[str, RunningSimulator], provider: RunningProvider,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A gateway that trusts the test's identity provider and offers no development tokens."""
    yield from gateway_browser(
        templates, dev_key_path, tmp_path_factory.mktemp("oidc"), sample_database, simulators,
        AREAGRAPH_DEV_TOKENS="false", AREAGRAPH_OIDC_ISSUER=provider.url,
        AREAGRAPH_OIDC_JWKS_URL=f"{provider.url}/jwks", AREAGRAPH_OIDC_AUDIENCE=AUDIENCE,
        AREAGRAPH_OIDC_CLIENT_ID=CLIENT_ID)


def test_signing_in_with_the_identity_provider_signs_graphiqls_requests(
        oidc_browser: Browser, provider: RunningProvider) -> None:
    ttl = provider.provider.token_ttl
    outcome = oidc_browser.run("provider", script=SCRIPT, query=ME, renewAfterSeconds=ttl)

    landed = httpx.URL(outcome["landed"])
    assert (landed.path, landed.params.get("query")) == ("/graphql", ME)
    assert outcome["result"] == {"data": {"me": {"subject": "auditor-somchai",
                                                 "roles": ["auditor"]}}}
    first, renewed = provider.provider.issued[-2:]
    assert outcome["sent"] == f"Bearer {first}"
    assert outcome["renewed"] == f"Bearer {renewed}", "the renewed token signs later requests"
    assert outcome["renewedResult"] == outcome["result"]
    # Signed out, the same query is answered for nobody.
    assert outcome["afterSignOut"].get("data", {}).get("me") is None


def test_the_dashboard_signs_in_with_the_same_provider_and_returns_to_the_page_asked(
        oidc_browser: Browser) -> None:
    outcome = oidc_browser.run("provider")  # web/e2e/dashboard.mjs
    assert outcome["landed"] == "/dashboard/areas/TH"
    assert "auditor-somchai" in outcome["who"] and "auditor" in outcome["who"]


def test_the_gateway_refuses_a_token_the_provider_did_not_sign(oidc_browser: Browser) -> None:
    forged = Provider()  # same claims, another key
    forged.issuer = oidc_browser.settings.oidc_issuer or ""
    body = oidc_browser.graphql(ME, forged.tokens(None)["access_token"])
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


def test_a_shared_link_opens_graphiql_with_its_query_and_pasted_headers_still_work(
        browser: Browser) -> None:
    token = browser.token("executive", subject="pasted-token")
    outcome = browser.run("link", script=SCRIPT, query=ME, token=token)
    assert outcome["editor"] == ME
    assert outcome["result"]["data"]["me"]["subject"] == "pasted-token"


def test_an_auditor_signs_in_runs_who_read_personal_data_and_takes_the_trail(
        browser: Browser) -> None:
    admin = browser.token("ministry_admin", subject="admin-reader")
    ticket = browser.graphql(FILE, admin)["data"]["fileComplaint"]["ticketNo"]
    read = browser.graphql(READ_COMPLAINANT, admin, {"t": ticket})
    assert read["data"]["complaint"]["complainant"]["phone"] == "0812345678"
    period = datetime.now(BANGKOK).strftime("%Y-%m")

    outcome = browser.run("auditor", script=SCRIPT, example="01-who-read-personal-data",
                          period=period, renewAfterSeconds=8 * 3600,
                          live="05-live-complaints")

    reads = [e["node"] for e in outcome["result"]["data"]["auditLog"]["edges"]]
    assert any(r["subject"] == "admin-reader" and r["operation"] == "ReadComplainant"
               and any(ticket in f for f in r["personalFields"]) for r in reads), reads
    assert outcome["file"] == f"audit-log-{period}.csv"
    csv: str = outcome["csv"]
    assert csv.startswith("\ufeff"), "UTF-8 with BOM, so spreadsheet programs read Thai"
    assert "ReadComplainant" in csv and "admin-reader" in csv
    # Before the development token runs out, the control mints another for the same role.
    assert outcome["renewed"] and "errors" not in outcome["renewedResult"]
    assert outcome["renewedResult"]["data"]["auditLog"]["totalCount"] >= len(reads)
    # Subscriptions too: the websocket opened with the renewed token and the gateway accepted it.
    assert outcome["socketAuthorization"]
