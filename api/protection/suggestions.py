""""Did you mean …" hints name fields, arguments, types and enum values the caller did not ask
for: a map of the schema for whoever probes it. They are left out for anonymous callers, and
for everyone in production."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from areagraph.api.protection.limits import is_anonymous

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def strip_suggestions(errors: list[GraphQLError] | None) -> None:
    # In place: the list may already be in a pre-execution result. A cached validation's list
    # is shared only by callers who see the same, since anonymous validation has its own
    # rules and so its own cache entries.
    for error in errors or ():
        error.message = _SUGGESTION.sub("", error.message)


class HiddenSuggestions(SchemaExtension):
    def __init__(self, everyone: bool) -> None:
        self.everyone = everyone

    def _hidden(self) -> bool:
        return self.everyone or is_anonymous(self.execution_context.context)

    def on_validate(self) -> Iterator[None]:
        yield
        if self._hidden():
            strip_suggestions(self.execution_context.pre_execution_errors)

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if self._hidden() and result is not None:
            strip_suggestions(result.errors)
