"""The composed areagraph schema: each domain module adds its root types here."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.tools import merge_types

from schema.areas import AreaQuery
from schema.audit import AuditQuery
from schema.complaints import ComplaintQuery
from schema.guard import guard_root_fields
from schema.indicators import IndicatorQuery
from schema.projects import ProjectQuery

QUERY_TYPES: tuple[type, ...] = (
    AreaQuery,
    IndicatorQuery,
    ProjectQuery,
    ComplaintQuery,
    AuditQuery,
)
MUTATION_TYPES: tuple[type, ...] = ()
SUBSCRIPTION_TYPES: tuple[type, ...] = ()

Query = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES) if MUTATION_TYPES else None
Subscription = merge_types("Subscription", SUBSCRIPTION_TYPES) if SUBSCRIPTION_TYPES else None
guard_root_fields(Query, Mutation, Subscription)


def _parser_cache() -> SchemaExtension:
    return ParserCache(maxsize=1024)


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=1024)


def build_schema(extensions: Sequence[type[SchemaExtension]] = ()) -> strawberry.Schema:
    """The schema with document caches on; `extensions` are added by the app (errors, limits)."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*extensions, _parser_cache, _validation_cache],
    )
