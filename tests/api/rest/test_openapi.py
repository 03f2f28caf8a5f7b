"""The checked-in OpenAPI document is what the code generates, and the REST facade and Open311
answer as it says (a property-based schemathesis run against the app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from areagraph.api.app import create_app
from areagraph.api.rest.openapi_doc import openapi_yaml
from areagraph.core.settings import Settings
from tests.conftest import dev_token
from tests.databases import BACKENDS, TemplateDatabases

DOCUMENT = Path(__file__).parents[3] / "openapi" / "areagraph.yaml"
schema = schemathesis.openapi.from_path(DOCUMENT)
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance,
          schemathesis.checks.response_schema_conformance]


def test_the_checked_in_document_is_current() -> None:
    current = openapi_yaml(create_app(Settings(_env_file=None)))
    assert DOCUMENT.read_text(encoding="utf-8") == current, (
        "openapi/areagraph.yaml is out of date: run `areagraph openapi export`")


class Client:
    def __init__(self, session: asgi.ASGIClient, token: str) -> None:
        self.session = session
        self.headers = {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module", params=BACKENDS)
def client(templates: TemplateDatabases, dev_key_path: Path,
           request: pytest.FixtureRequest) -> Iterator[Client]:
    with templates.fresh(request.param) as url:
        app_settings = Settings(database_url=url, redis_url=None, dev_tokens=True,
                                dev_key_path=dev_key_path, rate_limit_enabled=False)
        app: Any = create_app(app_settings)
        with asgi.get_client(app) as session:
            yield Client(session, dev_token(app_settings, ["ministry_admin"]))


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_answers_follow_the_document(case: schemathesis.Case, client: Client) -> None:
    case.call_and_validate(base_url=asgi_base_url(), session=client.session,
                           headers=client.headers, checks=CHECKS)


def asgi_base_url() -> str:
    return f"http://{asgi.HOST}"
