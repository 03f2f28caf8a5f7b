"""Runs a fixed GraphQL operation for the REST facade and Open311, so they use the same resolvers,
policy, audit and limits as GraphQL itself: no second copy of the logic."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from graphql import GraphQLError
from strawberry import Schema

from areagraph.api.graphql.errors import with_code
from areagraph.api.graphql.gate import admit, timeout_error
from areagraph.api.services import GatewayContext
from areagraph.core.errors import AppError

ContextGetter = Callable[..., Awaitable[GatewayContext]]
_STATUS = {"EXECUTION_TIMEOUT": 504, "GRAPHQL_PARSE_FAILED": 400,
           "GRAPHQL_VALIDATION_FAILED": 400}


def _statuses(cls: type[AppError] = AppError) -> dict[str, int]:
    found = {cls.code: cls.http_status}
    for sub in cls.__subclasses__():
        found.update(_statuses(sub))
    return found


class OperationFailed(AppError):
    """A GraphQL error, answered over REST with the HTTP status of its code."""

    def __init__(self, error: GraphQLError) -> None:
        extensions = dict(error.extensions or {})
        self.code = str(extensions.pop("code", "INTERNAL_SERVER_ERROR"))
        self.http_status = {**_statuses(), **_STATUS}.get(self.code, 400)
        super().__init__(error.message, **extensions)


@dataclass
class _Fixed:
    """One of the gateway's own operations: registered, so the allow-list lets it run."""

    query: str | None
    extensions: dict[str, Any] | None = None


class Operations:
    """The gateway's schema as a REST handler calls it: charged to the caller's rate limit,
    bounded by the execution timeout, errors raised as coded HTTP errors."""

    def __init__(self, schema: Schema, context: GatewayContext, client_ip: str | None) -> None:
        self.schema = schema
        self.context = context
        self.client_ip = client_ip

    async def run(self, document: str, variables: dict[str, Any] | None = None,
                  *, allow_partial: bool = False) -> dict[str, Any]:
        await admit(self.context, [_Fixed(document)], self.client_ip, registered=True)
        seconds = self.context.services.settings.execution_timeout
        try:
            async with asyncio.timeout(seconds):
                result = await self.schema.execute(document, variable_values=variables,
                                                   context_value=self.context)
        except TimeoutError:
            raise OperationFailed(timeout_error(seconds)) from None
        if result.errors and not (allow_partial and result.data):
            raise OperationFailed(with_code(result.errors[0]))
        return result.data or {}


def operations_dependency(schema: Schema, context_getter: ContextGetter
                          ) -> Callable[..., Awaitable[Operations]]:
    async def operations(request: Request,
                         context: GatewayContext = Depends(context_getter)) -> Operations:
        return Operations(schema, context, request.client.host if request.client else None)

    return operations
