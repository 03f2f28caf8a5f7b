"""What flows are given by their callers: row lookups and the audit of a write.

A resolver passes its request's loaders and an audit recorder that names the GraphQL
operation; a webhook, the CLI or a test passes its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from areagraph.auth.principal import Principal


class Lookup(Protocol):
    """Rows by key (indicators by code, areas by code), None for a key with no row."""

    def load(self, key: str) -> Awaitable[Any]: ...

    def load_many(self, keys: Iterable[str]) -> Awaitable[list[Any]]: ...


class AuditRecorder(Protocol):
    """Adds the audit record of a write, with the rows it changed, to the write's session."""

    def __call__(self, session: AsyncSession, principal: Principal,
                 changes: list[dict[str, Any]]) -> None: ...
