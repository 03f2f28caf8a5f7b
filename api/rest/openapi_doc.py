"""The OpenAPI document of the REST facade and Open311, generated from their routes and checked
in at `openapi/areagraph.yaml` for partners."""

from __future__ import annotations

from typing import Any

import yaml
from fastapi import FastAPI

from areagraph.api.rest.open311 import PREFIX as OPEN311_PREFIX

REST_PREFIX = "/api/v1"
DESCRIPTION = (
    "Areas, indicators and indicator values by area and period (JSON, or CSV with "
    "`Accept: text/csv`), and Open311 GeoReport v2 for Damrongdhama complaints. Every call "
    "needs `Authorization: Bearer <token or API key>` (or `X-API-Key`); the same role policy "
    "as the GraphQL API applies. Errors carry a `code` (`BAD_USER_INPUT`, `UNAUTHENTICATED`, "
    "`FORBIDDEN`, `NOT_FOUND`, `RATE_LIMITED`…); Open311 errors are GeoReport's "
    "`[{code, description}]`."
)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """`app`'s REST and Open311 paths (the app is built with default settings to export)."""
    document = app.openapi()
    document["info"] = {"title": "areagraph REST and Open311", "version": app.version,
                        "description": DESCRIPTION}
    document["paths"] = {path: item for path, item in document["paths"].items()
                         if path.startswith((REST_PREFIX, OPEN311_PREFIX))}
    for item in document["paths"].values():
        for operation in item.values():
            operation["responses"].pop("422", None)  # bad parameters answer 400 here
    components = document.get("components", {})
    used = _referenced(document["paths"], components.get("schemas", {}))
    components["schemas"] = {k: v for k, v in components.get("schemas", {}).items() if k in used}
    return document


def _referenced(paths: dict[str, Any], schemas: dict[str, Any]) -> set[str]:
    """The component schemas the paths use, directly or through other components."""
    found: set[str] = set()
    pending: list[Any] = [paths]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found.add(name)
                    pending.append(schemas.get(name))
            pending.extend(v for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            pending.extend(node)
    return found


def openapi_yaml(app: FastAPI) -> str:
    return yaml.safe_dump(openapi_document(app), sort_keys=False, allow_unicode=True, width=100)
