"""The GraphQL endpoint: Strawberry's router with areagraph's error codes on every response."""

from __future__ import annotations

from typing import Any

from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from api.graphql_errors import with_codes


class AreagraphRouter(GraphQLRouter[Any, None]):
    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        result.errors = with_codes(result.errors)
        return process_result(result)
