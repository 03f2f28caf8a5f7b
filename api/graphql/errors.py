"""Give every GraphQL error an `extensions.code`, and never let an internal error's text out."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from areagraph.api.error_codes import error_code
from areagraph.api.protection.limits import token_limit_error
from areagraph.core.errors import AppError

log = logging.getLogger("areagraph.errors")

def with_code(error: GraphQLError) -> GraphQLError:
    """The error as the client should see it: a code, and no internal detail."""
    if (too_long := token_limit_error(error)) is not None:
        return too_long
    if error.original_error is None and error.extensions and "code" in error.extensions:
        return error
    code = error_code(error)
    original = error.original_error
    extensions = dict(error.extensions or {})
    message = error.message
    if isinstance(original, AppError):
        extensions.update(original.extensions)
        message = original.message
    elif code == "INTERNAL_SERVER_ERROR":
        log.error("unhandled error in %s", error.path, exc_info=original)
        message = "Internal server error."
    extensions["code"] = code
    return GraphQLError(message, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path, original_error=None,
                        extensions=extensions)


def with_codes(errors: list[GraphQLError] | None) -> list[GraphQLError] | None:
    return None if errors is None else [with_code(e) for e in errors]


class ErrorCodes(SchemaExtension):
    """Rewrites an executed operation's errors (the router handles those before execution)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = with_codes(errors)
