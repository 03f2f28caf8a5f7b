"""The code a GraphQL error carries in `extensions.code`, for the client and the metrics."""

from __future__ import annotations

import re

from graphql import GraphQLError

from areagraph.core.errors import AppError

_BAD_INPUT = re.compile(
    r"Expected value of type|cannot represent|does not exist in|^Variable '\$|^Argument '|"
    r"argument '.*' of type|of required type|Expected type|is not a valid|Int cannot|"
    r"Enum '.*' cannot represent"
)


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, AppError):
        return original.code
    if original is not None and error.path is not None:
        return "INTERNAL_SERVER_ERROR"
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if _BAD_INPUT.search(error.message):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"
