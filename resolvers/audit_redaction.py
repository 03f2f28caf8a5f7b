"""What of an operation the audit trail may keep: its variables and text without personal data
or secrets.

A value is redacted by the argument or input field it feeds, read from the parsed document and
the schema, never by the name a client gave its variable: `complainantName: $n` redacts `$n`, and
so does a `FileComplaintInput` variable's `complainantName` field. A variable the walk cannot
place is redacted whole. Values written inline in the document are replaced in the text that is
hashed, so the hash of a known document cannot be used to test guesses of a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DefinitionNode,
    DocumentNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLSchema,
    IntValueNode,
    Node,
    NullValueNode,
    ObjectFieldNode,
    StringValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_nullable_type,
    print_ast,
    type_from_ast,
    visit,
)

REDACTED = "[redacted]"
# Arguments and input fields (schema names, which clients cannot choose) that carry personal data
# or secrets.
_SENSITIVE = re.compile(r"(complainant|citizen|phone|email|national_?id|id_?card|secret|"
                        r"password|token|api_?key|authorization)", re.IGNORECASE)
_LEAVES = (StringValueNode, IntValueNode, FloatValueNode, BooleanValueNode, EnumValueNode,
           NullValueNode)


def is_sensitive(name: str) -> bool:
    return bool(_SENSITIVE.search(name))


@dataclass(frozen=True)
class Redacted:
    variables: dict[str, Any]
    document: str  # the operation and its fragments, inline personal values replaced


class _Walk(Visitor):
    """Tracks whether the visit is inside a sensitive argument or input field."""

    def __init__(self, sensitive_variables: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.inside: list[bool] = []
        self.sensitive_variables = sensitive_variables
        self.sensitive: set[str] = set()
        self.plain: set[str] = set()

    def _push(self, name: str) -> None:
        self.inside.append((bool(self.inside) and self.inside[-1]) or is_sensitive(name))

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self._push(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self.inside.pop()

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self._push(node.name.value)

    def leave_object_field(self, *_: Any) -> None:
        self.inside.pop()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        if self.inside:  # a use, not the variable's definition
            (self.sensitive if self.inside[-1] else self.plain).add(node.name.value)

    def enter(self, node: Node, *_: Any) -> Any:
        if isinstance(node, _LEAVES) and self.inside and self.inside[-1]:
            return StringValueNode(value=REDACTED)
        if (isinstance(node, VariableDefinitionNode) and node.default_value is not None
                and node.variable.name.value in self.sensitive_variables):
            return VariableDefinitionNode(variable=node.variable, type=node.type,
                                          default_value=StringValueNode(value=REDACTED),
                                          directives=node.directives)
        return None


def redact(schema: GraphQLSchema, definitions: Iterable[DefinitionNode],
           variables: Mapping[str, Any] | None) -> Redacted:
    """The variables and document text of an operation (with its fragments) as kept."""
    document = DocumentNode(definitions=tuple(definitions))
    walk = _Walk()
    visit(document, walk)
    sensitive = frozenset(walk.sensitive)
    declared = {d.variable.name.value: type_from_ast(schema, d.type)
                for node in document.definitions
                for d in getattr(node, "variable_definitions", None) or ()}
    kept: dict[str, Any] = {}
    for name, value in (variables or {}).items():
        type_ = declared.get(name)
        if name in sensitive or name not in walk.plain or type_ is None:
            kept[name] = REDACTED
        else:
            kept[name] = _by_type(value, type_)
    printed = print_ast(visit(document, _Walk(sensitive)))
    return Redacted(kept, printed)


def _by_type(value: Any, type_: GraphQLInputType) -> Any:
    """A variable's value with the sensitive fields of its input objects redacted."""
    type_ = get_nullable_type(type_)  # type: ignore[assignment]
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        kept = [_by_type(v, type_.of_type) for v in items]
        return kept if isinstance(value, list) else kept[0]
    if isinstance(type_, GraphQLInputObjectType):
        if not isinstance(value, Mapping):
            return REDACTED
        fields = {**{f.out_name or n: (n, f) for n, f in type_.fields.items()},
                  **{n: (n, f) for n, f in type_.fields.items()}}
        out: dict[str, Any] = {}
        for key, item in value.items():
            found = fields.get(str(key))
            out[str(key)] = (REDACTED if found is None or is_sensitive(found[0])
                             else _by_type(item, found[1].type))
        return out
    return value
