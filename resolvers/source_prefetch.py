"""The listing prefetch: an area list starts its areas' source calls as soon as it knows them.

Each area's source-backed field would only ask when the executor reaches it, after every area
of the list has been built, which for 1,000 areas is tens of milliseconds of waiting that the
sources could spend answering. So the field that lists areas starts, at once, the loads those
fields will make (same keys: they find their answer already on its way), then waits briefly
until the calls are on the wire (connectors/dispatch.py).

Which fields are source-backed is read from the schema, not from their names: the schema marks
each with `prefetched(VALUES)` or `prefetched(EVENTS)` (Strawberry field metadata), and
`check_marks` refuses to build a schema in which a kind has no marked field, or a marked field
lacks an argument read here. So renaming a field or its arguments keeps the prefetch, and
removing one stops the gateway at start-up instead of silently turning the prefetch off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLOutputType, GraphQLSchema
from graphql import get_named_type as _named
from strawberry.types.nodes import SelectedField, Selection

from areagraph.auth.policy import can_read_figures, require_events
from areagraph.auth.principal import Principal
from areagraph.connectors.dispatch import Dispatch
from areagraph.core.errors import AppError
from areagraph.resolvers.context import Info
from areagraph.resolvers.source_loaders import SourceLoaders
from areagraph.resolvers.sources import kinds_asked, period_argument, values_ask

MARK = "areagraph.source_prefetch"
VALUES = "indicator_values"
EVENTS = "events"
# The Python names of the arguments each kind of field is read by.
_ARGUMENTS: dict[str, tuple[str, ...]] = {VALUES: ("codes", "period"),
                                          EVENTS: ("kinds", "period")}
_BACKREF = "strawberry-definition"


def prefetched(kind: str) -> dict[str, str]:
    """The field metadata that marks a field of an area as source-backed, of this kind."""
    if kind not in _ARGUMENTS:
        raise ValueError(f"no listing prefetch for {kind!r}")
    return {MARK: kind}


@dataclass(frozen=True)
class _Marked:
    kind: str
    arguments: Mapping[str, str]  # Python name → GraphQL name


def _marked(type_name: str, name: str, field: GraphQLField) -> _Marked | None:
    definition = (field.extensions or {}).get(_BACKREF)
    kind = (getattr(definition, "metadata", None) or {}).get(MARK)
    if kind is None:
        return None
    graphql_names = {getattr((arg.extensions or {}).get(_BACKREF), "python_name", None): key
                     for key, arg in field.args.items()}
    missing = [a for a in _ARGUMENTS[kind] if a not in graphql_names]
    if missing:
        raise RuntimeError(f"{type_name}.{name} is marked for the {kind} prefetch but has no "
                           f"argument {', '.join(missing)}")
    return _Marked(kind, {a: graphql_names[a] for a in _ARGUMENTS[kind]})


@lru_cache(maxsize=64)
def marked_fields(object_type: GraphQLObjectType) -> dict[str, _Marked]:
    """The source-backed fields of a type, by GraphQL name."""
    found = {}
    for name, field in object_type.fields.items():
        mark = _marked(object_type.name, name, field)
        if mark is not None:
            found[name] = mark
    return found


def check_marks(schema: GraphQLSchema) -> None:
    """Refuse a schema in which a kind of source-backed field has no marked field (so the
    prefetch would be off) or a marked field lacks an argument it reads."""
    kinds = {mark.kind for t in schema.type_map.values()
             if isinstance(t, GraphQLObjectType) and not t.name.startswith("__")
             for mark in marked_fields(t).values()}
    missing = sorted(set(_ARGUMENTS) - kinds)
    if missing:
        raise RuntimeError(f"no field is marked for the listing prefetch of {missing}: mark "
                           "the source-backed fields with resolvers.source_prefetch.prefetched")


def _item_type(info: Info, path: Sequence[str]) -> GraphQLObjectType:
    """The type of the areas a listing field returns, at `path` below it."""
    raw = info._raw_info
    current: GraphQLOutputType = raw.parent_type.fields[raw.field_name].type
    for name in path:
        holder = _named(current)
        field = holder.fields.get(name) if isinstance(holder, GraphQLObjectType) else None
        if field is None:
            raise RuntimeError(f"{holder} has no field {name!r} on the way to the listed areas")
        current = field.type
    item = _named(current)
    if not isinstance(item, GraphQLObjectType):
        raise RuntimeError(f"{raw.field_name} at {list(path)} lists no object type")
    return item


async def prefetch_area_fields(info: Info, area_codes: Sequence[str],
                               path: Sequence[str] = ()) -> None:
    """Start the source calls the source-backed fields of these areas will make, now.

    Areas the caller may not read are left out (their fields refuse as usual). Arguments that
    are wrong for every area are refused here, once for the list, rather than once per area.
    `path` leads from the listing field to the areas (`edges`, `node` in a connection).
    """
    principal = info.context.principal
    if not area_codes or principal is None:
        return
    fields = _selected_source_fields(info, tuple(path))
    if not fields:
        return
    with Dispatch() as dispatch:
        _start_area_fields(info, principal, fields, area_codes)
    await dispatch.sent()


def _selected_source_fields(info: Info, path: tuple[str, ...]
                            ) -> list[tuple[str, dict[str, Any]]]:
    """The source-backed fields selected below this field (kind, arguments by Python name),
    read once per request for each place in the document (a `children` field is resolved once
    per parent, the same each time)."""
    place = (*(p for p in info.path.as_list() if isinstance(p, str)), *path)
    found = info.context.source_loaders.selections.get(place)
    if found is None:
        below = [s for field in info.selected_fields if isinstance(field, SelectedField)
                 for s in field.selections]
        marked = marked_fields(_item_type(info, path))
        found = info.context.source_loaders.selections[place] = list(
            _area_fields(below, path, marked))
    return found


def _start_area_fields(info: Info, principal: Principal,
                       fields: Iterable[tuple[str, dict[str, Any]]],
                       area_codes: Sequence[str]) -> None:
    loaders = info.context.source_loaders
    for kind, arguments in fields:
        if kind == VALUES:
            ask = values_ask(_strings(arguments.get("codes")), str(arguments.get("period")))
            keys = [(code, ask.codes, ask.period.start, ask.period.end) for code in area_codes
                    if all(can_read_figures(principal, code, t) for t in ask.topics)]
            _start(loaders.values.load_many(keys))
        elif kind == EVENTS:
            period = period_argument(str(arguments.get("period")))
            kinds = arguments.get("kinds")
            wanted = kinds_asked(loaders, None if kinds is None else _event_kinds(loaders, kinds))
            keys = [(code, wanted, period.start, period.end) for code in area_codes
                    if _may_read_events(info, code)]
            _start(loaders.events.load_many(keys))


def _start(pending: Any) -> None:
    # Nobody may await a prefetch whose areas' fields are never reached (an error above them);
    # its outcome is read here so that it is not reported as never retrieved.
    pending.add_done_callback(lambda done: done.cancelled() or done.exception())


def _may_read_events(info: Info, area_code: str) -> bool:
    try:
        require_events(info.context.principal, area_code)
    except AppError:
        return False
    return True


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # GraphQL reads a single value given for a list as a list of one
        return (value,)
    return tuple(str(v) for v in value or ())


def _event_kinds(loaders: SourceLoaders, value: Any) -> list[str]:
    """Event kinds as the resolver gets them, from enum names (literals) or members (variables)."""
    known = {kind.upper(): kind for kind in loaders.registry.event_kinds}
    items = [value] if isinstance(value, str) else list(value)
    kinds = [str(getattr(item, "value", item)) for item in items]
    return [known.get(kind.upper(), kind.lower()) for kind in kinds]


def _area_fields(selections: Iterable[Selection], path: tuple[str, ...],
                 marked: Mapping[str, _Marked]) -> Iterable[tuple[str, dict[str, Any]]]:
    """The source-backed fields (kind, arguments by Python name) selected on the areas at
    `path` below these selections, through fragments, leaving out what `@skip`/`@include`
    leave out."""
    for selection in selections:
        if not _included(selection.directives):
            continue
        if not isinstance(selection, SelectedField):  # a fragment: its fields are level here
            yield from _area_fields(selection.selections, path, marked)
        elif not path:
            mark = marked.get(selection.name)
            if mark is not None:
                yield mark.kind, {python: selection.arguments.get(graphql)
                                  for python, graphql in mark.arguments.items()
                                  if graphql in selection.arguments}
        elif selection.name == path[0]:
            yield from _area_fields(selection.selections, path[1:], marked)


def _included(directives: dict[str, dict[str, Any]]) -> bool:
    return not (directives.get("skip", {}).get("if") is True
                or directives.get("include", {}).get("if") is False)
