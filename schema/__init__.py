"""The composed areagraph schema: each domain module adds its root types here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types

from areagraph.resolvers.source_prefetch import check_marks
from areagraph.schema.alerts import AlertMutation, AlertQuery
from areagraph.schema.api_keys import ApiKeyMutation, ApiKeyQuery
from areagraph.schema.areas import AreaQuery
from areagraph.schema.audit import AuditQuery
from areagraph.schema.complaints.reads import ComplaintQuery
from areagraph.schema.complaints.workflow import ComplaintWorkflowMutation, ComplaintWorkflowQuery
from areagraph.schema.dashboard import DashboardQuery
from areagraph.schema.descriptions import describe
from areagraph.schema.execution import GatewayExecutionContext
from areagraph.schema.figures.entry import DataEntryMutation, DataEntryQuery
from areagraph.schema.figures.indicators import IndicatorQuery
from areagraph.schema.guard import guard_root_fields
from areagraph.schema.input_guard import guard_arguments
from areagraph.schema.me import MeQuery
from areagraph.schema.projects.reads import ProjectQuery
from areagraph.schema.projects.writes import ProjectMutation
from areagraph.schema.sources import SourceQuery
from areagraph.schema.subscriptions import RealtimeSubscription

QUERY_TYPES: tuple[type, ...] = (
    AreaQuery,
    IndicatorQuery,
    ProjectQuery,
    ComplaintQuery,
    AuditQuery,
    DataEntryQuery,
    ComplaintWorkflowQuery,
    AlertQuery,
    DashboardQuery,
    SourceQuery,
    MeQuery,
    ApiKeyQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    DataEntryMutation,
    ProjectMutation,
    ComplaintWorkflowMutation,
    AlertMutation,
    ApiKeyMutation,
)
SUBSCRIPTION_TYPES: tuple[type, ...] = (RealtimeSubscription,)

Query = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES) if MUTATION_TYPES else None
Subscription = merge_types("Subscription", SUBSCRIPTION_TYPES) if SUBSCRIPTION_TYPES else None
guard_root_fields(Query, Mutation, Subscription)


def _parser_cache() -> SchemaExtension:
    return ParserCache(maxsize=1024)


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=1024)


class _RememberingNameConverter(NameConverter):
    """Strawberry turns each argument's Python name into its GraphQL name again on every call
    of a field (to match the arguments sent): 2 µs a time, thousands of times for a list."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


def build_schema(extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
                 config: StrawberryConfig | None = None) -> strawberry.Schema:
    """The schema with document caches on; `extensions` are added by the app (errors, limits)."""
    if config is None:
        config = StrawberryConfig(name_converter=_RememberingNameConverter())
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*extensions, _parser_cache, _validation_cache],
        config=config,
        execution_context_class=GatewayExecutionContext,
    )
    describe(schema._schema)
    check_marks(schema._schema)
    return guard_arguments(schema)
