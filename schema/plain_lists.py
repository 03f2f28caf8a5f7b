"""Completes lists of plain objects in one tight loop instead of field by field.

graphql-core completes every field of every list item through the full machinery (resolve
info, resolver call, awaitable checks, per-field completion): for 7,436 areas × 5 fields that
is most of a request's time. When every field selected on a list's items is a plain attribute
(Strawberry's default resolver: no resolver function, no permission, no field extension) of a
scalar, enum, list of those, or another such object, the answer is the same as reading the
attributes and coercing the leaves, which is what this does. Anything else (resolvers, abstract
types, `is_type_of`, `@defer`/`@stream`, field middleware such as tracing, a null where the
schema says non-null, a value a scalar refuses) takes graphql-core's own path for that list, so
answers and errors are exactly the standard ones. Root fields and fields with resolvers, where
the access policy lives, always take the standard path.
"""

from __future__ import annotations

from collections.abc import Callable
from math import isfinite
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import RefMap, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_BACKREF = "strawberry-definition"

# One selected field of a plan: (response name, how to read it, what to do with the value).
_Step = tuple[str, str | None, "_Completion"]
_Plan = tuple[_Step, ...]


class _Fallback(Exception):
    """This list needs graphql-core's own completion."""


def _finite_float(value: Any) -> bool:
    return type(value) is float and isfinite(value)


def _int32(value: Any) -> bool:
    return type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT


# Values the built-in scalars give back as they are: checked here in one step instead of the
# scalar's chain of isinstance tests, which for a list of thousands of figures adds up.
_PLAIN_VALUES: dict[str, Callable[[Any], bool]] = {
    GraphQLString.name: lambda value: type(value) is str,
    GraphQLID.name: lambda value: type(value) is str,
    GraphQLBoolean.name: lambda value: type(value) is bool,
    GraphQLFloat.name: _finite_float,
    GraphQLInt.name: _int32,
}


class _Completion:
    """How one field's value is completed: a leaf, a list of leaves, or a plain object."""

    __slots__ = ("item", "kind", "leaf", "non_null", "plain", "plan", "typename")

    def __init__(self, kind: str, non_null: bool, *, leaf: GraphQLLeafType | None = None,
                 item: _Completion | None = None, plan: _Plan = (),
                 typename: str = "") -> None:
        self.kind = kind
        self.non_null = non_null
        self.leaf = leaf
        self.plain = _PLAIN_VALUES.get(leaf.name) if leaf is not None else None
        self.item = item
        self.plan = plan
        self.typename = typename

    def complete(self, value: Any) -> Any:
        if value is None:
            if self.non_null:
                raise _Fallback
            return None
        kind = self.kind
        if kind == "leaf":
            plain = self.plain
            if plain is not None and plain(value):
                return value  # what the scalar's own coercion would return, unchanged
            if isinstance(value, Exception):
                raise _Fallback
            try:
                coerced = self.leaf.coerce_output_value(value)  # type: ignore[union-attr]
            except Exception:
                raise _Fallback from None
            if coerced is None or coerced is Undefined:
                raise _Fallback
            return coerced
        if kind == "list":
            if not isinstance(value, list | tuple):
                raise _Fallback
            item = self.item
            return [item.complete(v) for v in value]  # type: ignore[union-attr]
        return complete_object(self.plan, value)


def complete_object(plan: _Plan, source: Any) -> dict[str, Any]:
    if isinstance(source, Exception):
        raise _Fallback
    result: dict[str, Any] = {}
    for response_name, attribute, completion in plan:
        if attribute is None:  # __typename
            result[response_name] = completion.typename
            continue
        try:
            value = getattr(source, attribute)
        except Exception:
            raise _Fallback from None
        result[response_name] = completion.complete(value)
    return result


def _plain_attribute(field_def: GraphQLField) -> str | None:
    """The attribute a field reads when it is a plain one (Strawberry's basic field: no
    resolver, permission, extension or exception handler, read with `getattr`), else None."""
    definition = (field_def.extensions or {}).get(_BACKREF)
    resolve = field_def.resolve
    if (definition is None or not definition.is_basic_field or definition.permission_classes
            or getattr(resolve, "__name__", "") != "_get_basic_result"
            or not getattr(resolve, "_is_default", False)
            or getattr(definition, "default_resolver", getattr) is not getattr):
        return None
    name = definition.python_name
    return name if isinstance(name, str) else None


def _has_middleware(manager: Any) -> bool:
    """Whether field middleware (an extension's `resolve`, e.g. tracing) wraps resolvers."""
    return manager is not None and getattr(manager, "_middleware_resolvers", True) is not None


class PlainListExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with the plain-object list fast path (and nothing else)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (object type, id of the field group) → plan or None; the field group is kept alive
        # beside its plan so its id cannot be reused during this execution.
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan | None]] = {}
        self._lists: dict[tuple[GraphQLObjectType, int, bool], _Completion] = {}

    def build_per_event_executor(self, payload: Any) -> PlainListExecutionContext:
        """The executor of one subscription event, with memos of its own.

        graphql-core's is a shallow copy that shares the memos keyed by field group; each event
        collects fresh field groups, so shared memos would gain entries with every event for as
        long as the subscription lives, and nothing would ever use them again.
        """
        executor = super().build_per_event_executor(payload)
        assert isinstance(executor, PlainListExecutionContext)
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()
        executor._plans = {}
        executor._lists = {}
        return executor

    def complete_list_value(self, return_type: GraphQLList[GraphQLOutputType],
                            field_details_list: Any, info: Any, path: Any, result: Any,
                            position_context: Any) -> Any:
        fast = self._list_completion(return_type, field_details_list, path, result)
        if fast is not None:
            try:
                return fast.complete(result)
            except _Fallback:
                pass
        return super().complete_list_value(return_type, field_details_list, info, path,
                                           result, position_context)

    def _list_completion(self, return_type: GraphQLList[GraphQLOutputType],
                         field_details_list: Any, path: Any, result: Any
                         ) -> _Completion | None:
        if (_has_middleware(self.middleware_manager) or not isinstance(result, list)
                or self.get_stream_usage(field_details_list, path) is not None):
            return None
        item_type = return_type.of_type
        item_non_null = is_non_null_type(item_type)
        inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(inner, GraphQLObjectType):
            return None
        plan = self._object_plan(inner, field_details_list)
        if plan is None:
            return None
        key = (inner, id(field_details_list), item_non_null)  # the group is kept by _plans
        completion = self._lists.get(key)
        if completion is None:
            completion = self._lists[key] = _Completion(
                "list", False, item=_Completion("object", item_non_null, plan=plan))
        return completion

    def _object_plan(self, object_type: GraphQLObjectType, field_details_list: Any
                     ) -> _Plan | None:
        key = (object_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = self._build_plan(object_type, field_details_list)
        self._plans[key] = (field_details_list, plan)
        return plan

    def _build_plan(self, object_type: GraphQLObjectType, field_details_list: Any
                    ) -> _Plan | None:
        if object_type.is_type_of is not None:
            return None
        grouped, new_defer_usages, forbidden = self.collect_subfields(object_type,
                                                                      field_details_list)
        if new_defer_usages or forbidden:
            return None
        steps: list[_Step] = []
        for response_name, details in grouped.items():
            if any(d.defer_usage is not None or d.node.arguments for d in details):
                return None
            name = details[0].node.name.value
            if name == "__typename":
                steps.append((response_name, None, _Completion("typename", True,
                                                               typename=object_type.name)))
                continue
            field_def = self.schema.get_field(object_type, name)
            python_name = None if field_def is None else _plain_attribute(field_def)
            if field_def is None or python_name is None:
                return None
            completion = self._completion(field_def.type, details)
            if completion is None:
                return None
            steps.append((response_name, python_name, completion))
        return tuple(steps)

    def _completion(self, field_type: GraphQLOutputType, details: Any) -> _Completion | None:
        non_null = is_non_null_type(field_type)
        inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if is_leaf_type(inner):
            return _Completion("leaf", non_null, leaf=inner)
        if is_list_type(inner):
            item = self._completion(inner.of_type, details)
            if item is None or item.kind != "leaf":
                return None  # lists of objects inside items: graphql-core's path
            return _Completion("list", non_null, item=item)
        if isinstance(inner, GraphQLObjectType):
            plan = self._object_plan(inner, details)
            return None if plan is None else _Completion("object", non_null, plan=plan)
        return None
