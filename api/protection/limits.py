"""Query limits: size, tokens, depth, aliases, cost and anonymous introspection, each refused
before execution with an `extensions.code` and the limit that was hit."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
    value_from_ast,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.language.visitor import EnterLeaveVisitor
from graphql.utilities import get_operation_ast
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension

from areagraph.api.protection.persisted_queries import PersistedQueryError
from areagraph.api.protection.query_walk import shape_errors, shape_rule
from areagraph.core.settings import Settings

ExtensionFactory = Callable[[], SchemaExtension]

# Codes of errors that mean "this request was refused before execution": under
# application/graphql-response+json they answer 400 with no `data`.
QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
UNAUTHENTICATED = "UNAUTHENTICATED"
LIMIT_CODES = frozenset({QUERY_TOO_LARGE, TOO_MANY_TOKENS, QUERY_TOO_DEEP, TOO_MANY_ALIASES,
                         QUERY_TOO_COMPLEX, INTROSPECTION_DISABLED, UNAUTHENTICATED})


def limit_error(message: str, code: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


@dataclass(frozen=True)
class QueryLimits:
    max_bytes: int
    max_tokens: int
    max_depth: int
    max_aliases: int
    max_cost: int
    list_size: int  # assumed length of a list field that takes no `first`
    default_page: int  # `first` when a paged field is asked without it

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        from areagraph.resolvers.inputs import DEFAULT_PAGE

        return cls(max_bytes=settings.max_query_bytes, max_tokens=settings.max_query_tokens,
                   max_depth=settings.max_query_depth, max_aliases=settings.max_aliases,
                   max_cost=settings.max_query_cost, list_size=settings.cost_list_size,
                   default_page=min(DEFAULT_PAGE, settings.max_page_size))


class _TaggingContext:
    """A validation context whose reported errors carry a code and the limit."""

    def __init__(self, context: ValidationContext, extensions: dict[str, Any]) -> None:
        self._context = context
        self._extensions = extensions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), **self._extensions}
        self._context.report_error(error)


def coded_rule(rule: type[ValidationRule], code: str, **extensions: Any) -> type[ValidationRule]:
    """`rule` (e.g. one of Strawberry's limiters) with `code` and `extensions` on its errors."""
    tags = {"code": code, **extensions}

    class CodedRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._inner = rule(cast(ValidationContext, _TaggingContext(context, tags)))

        def get_enter_leave_for_kind(self, kind: str) -> EnterLeaveVisitor:
            return self._inner.get_enter_leave_for_kind(kind)

    CodedRule.__name__ = f"Coded{rule.__name__}"
    return CodedRule


def size_error(query: str, max_bytes: int) -> GraphQLError | None:
    """`QUERY_TOO_LARGE` when `query` is longer than `max_bytes` (UTF-8)."""
    size = len(query.encode())
    if size <= max_bytes:
        return None
    return limit_error(f"the query is {size} bytes; at most {max_bytes} are accepted",
                       QUERY_TOO_LARGE, limit=max_bytes, actual=size)


class QuerySizeLimit(SchemaExtension):
    """Refuses a document longer than `max_bytes` before it is parsed."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def on_parse(self) -> Iterator[None]:
        too_large = size_error(self.execution_context.query or "", self.max_bytes)
        if too_large is not None:
            raise too_large
        yield


_TOKENS = re.compile(r"Document contains more than (\d+) tokens")


def token_limit_error(error: GraphQLError) -> GraphQLError | None:
    """The parser's refusal under Strawberry's `MaxTokensLimiter`, with its code and limit."""
    found = _TOKENS.search(error.message)
    if found is None:
        return None
    limit = int(found.group(1))
    return limit_error(f"the query has more than {limit} tokens", TOO_MANY_TOKENS, limit=limit)


def is_anonymous(context: object) -> bool:
    return getattr(context, "principal", None) is None


class AnonymousCallers(SchemaExtension):
    """Introspection is for authenticated callers (auditors exploring in GraphiQL), and so are
    fragments: an anonymous caller can read nothing a fragment would help with, so a document
    that defines one is refused right after parsing, before any check walks it."""

    rule = coded_rule(NoSchemaIntrospectionCustomRule, INTROSPECTION_DISABLED)

    def on_operation(self) -> Iterator[None]:
        if is_anonymous(self.execution_context.context):
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules, self.rule)
        yield

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is not None and is_anonymous(self.execution_context.context) and any(
                isinstance(d, FragmentDefinitionNode) for d in document.definitions):
            raise limit_error("authentication required: sign in to send fragments",
                              UNAUTHENTICATED)


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost (fields × list sizes) is over the limit.

    Runs just before execution, when variables are known (`first: $n` counts as its value).
    """

    def __init__(self, limits: QueryLimits) -> None:
        self.limits = limits

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.result is None:
            operation = get_operation_ast(document, ctx.operation_name)
            if operation is not None:
                cost = QueryCost(ctx.schema._schema, document.definitions, ctx.variables or {},
                                 self.limits).of_operation(operation)
                if cost > self.limits.max_cost:
                    ctx.result = GraphQLExecutionResult(data=None, errors=[limit_error(
                        f"the query's estimated cost is {cost}; at most "
                        f"{self.limits.max_cost} is accepted: ask for smaller pages or fewer "
                        "nested lists", QUERY_TOO_COMPLEX, limit=self.limits.max_cost,
                        actual=cost)])
        yield


class QueryCost:
    """Each field costs 1; a list field multiplies what it selects by its `first` or an assumed
    length, so nested lists cost what they could return."""

    def __init__(self, schema: GraphQLSchema, definitions: Any, variables: dict[str, Any],
                 limits: QueryLimits) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables
        self.limits = limits
        self.steps = 0  # selections visited: at most twice the document's
        self._costs: dict[tuple[str, bool], int] = {}
        self._costing: set[tuple[str, bool]] = set()

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        return 0 if root is None else self._selections(operation.selection_set, root, False)

    def _selections(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType,
                    paged: bool) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            self.steps += 1
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, paged)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, target or parent, paged)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, paged)
        return total

    def _fragment(self, name: str, parent: GraphQLNamedType, paged: bool) -> int:
        """A fragment's cost, worked out once per paging context and reused at every spread
        (its type condition, not where it is spread, decides what it selects on)."""
        key = (name, paged)
        found = self._costs.get(key)
        if found is not None:
            return found
        fragment = self.fragments.get(name)
        if fragment is None or key in self._costing:
            return 0  # unknown or cyclic: validation has refused the document
        self._costing.add(key)
        target = self.schema.get_type(fragment.type_condition.name.value)
        found = self._costs[key] = self._selections(fragment.selection_set, target or parent,
                                                    paged)
        self._costing.discard(key)
        return found

    def _field(self, node: FieldNode, parent: GraphQLNamedType, paged: bool) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        child_type = get_named_type(definition.type)
        multiplier = 1
        pages = "first" in definition.args
        if pages:
            multiplier = self._first(node) or self.limits.default_page
        elif is_list_type(get_nullable_type(definition.type)) and not paged:
            multiplier = self.limits.list_size
        children = self._selections(node.selection_set, child_type, pages)
        return 1 + multiplier * children

    def _first(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = value_from_ast(argument.value, GraphQLInt, self.variables)
                return value if isinstance(value, int) and value > 0 else None
        return None


def _persisted(error: GraphQLError) -> PersistedQueryError:
    extensions = dict(error.extensions or {})
    return PersistedQueryError(str(extensions.pop("code")), error.message, **extensions)


def document_vetter(limits: QueryLimits) -> Callable[[str], None]:
    """The document limits (size, tokens, depth, aliases) as one check of a text, for what is
    kept before any request runs it (persisted queries)."""

    def vet(query: str) -> None:
        too_large = size_error(query, limits.max_bytes)
        if too_large is not None:
            raise _persisted(too_large)
        try:
            document = parse(query, no_location=True, max_tokens=limits.max_tokens)
        except GraphQLError as error:
            raise _persisted(token_limit_error(error) or limit_error(
                error.message, "GRAPHQL_PARSE_FAILED")) from None
        for too_big in shape_errors(document, limits.max_depth, limits.max_aliases,
                                    QUERY_TOO_DEEP, TOO_MANY_ALIASES):
            raise _persisted(too_big)

    return vet


def limit_extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """The schema extensions that enforce `limits`; rules are built once so the validation cache
    keeps hitting."""
    rules = [shape_rule(limits.max_depth, limits.max_aliases, QUERY_TOO_DEEP, TOO_MANY_ALIASES)]
    return [
        lambda: QuerySizeLimit(limits.max_bytes),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        AnonymousCallers,
        lambda: AddValidationRules(list(rules)),
        lambda: CostLimit(limits),
    ]
