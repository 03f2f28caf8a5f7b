"""The gateway's executor: graphql-core's, plus the plain-list path and reports resolved last.

- Lists of plain objects are completed in one loop (schema/plain_lists.py).
- Root query fields that report on the others' work (the sources' health) are resolved once the
  rest of the query has finished, so that they count its source calls. They are found by their
  mark in the schema (`reports_on_the_rest()` as the field's metadata), not by name: renaming
  such a field keeps it last.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import GraphQLObjectType

from areagraph.schema.plain_lists import PlainListExecutionContext

REPORT = "areagraph.reports_on_the_rest"
_BACKREF = "strawberry-definition"


def reports_on_the_rest() -> dict[str, bool]:
    """The metadata marking a root query field to be resolved after all the others."""
    return {REPORT: True}


@lru_cache(maxsize=16)
def report_fields(query_type: GraphQLObjectType) -> frozenset[str]:
    """The GraphQL names of the query fields marked `reports_on_the_rest()`."""
    return frozenset(
        name for name, field in query_type.fields.items()
        if (getattr((field.extensions or {}).get(_BACKREF), "metadata", None) or {}).get(REPORT))


class GatewayExecutionContext(PlainListExecutionContext):
    """graphql-core's executor with the plain-object list path, reports resolved last."""

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Any,
                       grouped_field_set: Any, position_context: Any) -> Any:
        marked = (frozenset() if path is not None or parent_type is not self.schema.query_type
                  else report_fields(parent_type))
        reports = {name: details for name, details in grouped_field_set.items()
                   if details[0].node.name.value in marked} if marked else {}
        if not reports or len(reports) == len(grouped_field_set):
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        rest = {n: d for n, d in grouped_field_set.items() if n not in reports}
        first: Any = super().execute_fields(parent_type, source_value, path, rest,
                                            position_context)
        execute = super().execute_fields

        async def then_reports() -> dict[str, Any]:
            results = dict(await first if self.is_awaitable(first) else first)
            last: Any = execute(parent_type, source_value, path, reports, position_context)
            results.update(await last if self.is_awaitable(last) else last)
            return {name: results[name] for name in grouped_field_set if name in results}

        return then_reports()
