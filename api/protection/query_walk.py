"""Depth and alias counts of a document in one pass: each fragment is measured once and its
measure reused at every spread, so a document whose fragments spread each other twice over
(`fragment F0 { ...F1 ...F1 }`, thirty levels deep) costs as many steps as it has nodes.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter walk a fragment again at every spread,
which doubles the work with each such level (17 levels took a second, 30 would take hours); the
measures here are the same numbers, remembered.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


@dataclass(frozen=True)
class Shape:
    depth: int  # nested fields with selections along the longest path (introspection: 0)
    aliases: int  # aliased fields, a fragment's counted at every spread


class DocumentWalk:
    """Measures a document's operations; `steps` counts the selections visited."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self.operations = [d for d in document.definitions
                           if isinstance(d, OperationDefinitionNode)]
        self.steps = 0
        self._measured: dict[str, Shape] = {}
        self._measuring: set[str] = set()

    def shapes(self) -> dict[str, Shape]:
        """Each operation's shape, by name ("" for an anonymous one)."""
        return {(o.name.value if o.name else ""): self._selections(o.selection_set)
                for o in self.operations}

    def _selections(self, selection_set: SelectionSetNode | None) -> Shape:
        depth = aliases = 0
        for selection in selection_set.selections if selection_set else ():
            self.steps += 1
            if isinstance(selection, FieldNode):
                inner = self._field(selection)
            elif isinstance(selection, InlineFragmentNode):
                inner = self._selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self._fragment(selection.name.value)
            else:  # pragma: no cover - the three kinds of selection
                continue
            depth = max(depth, inner.depth)
            aliases += inner.aliases
        return Shape(depth, aliases)

    def _field(self, field: FieldNode) -> Shape:
        inner = self._selections(field.selection_set)
        alias = 1 if field.alias else 0
        if field.name.value.startswith("__") or not field.selection_set:
            return Shape(0, inner.aliases + alias)
        return Shape(1 + inner.depth, inner.aliases + alias)

    def _fragment(self, name: str) -> Shape:
        found = self._measured.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self._measuring:
            return Shape(0, 0)  # unknown or cyclic: validation refuses the document
        self._measuring.add(name)
        found = self._measured[name] = self._selections(definition.selection_set)
        self._measuring.discard(name)
        return found


def shape_errors(document: DocumentNode, max_depth: int, max_aliases: int, depth_code: str,
                 aliases_code: str) -> list[GraphQLError]:
    """An error for each operation deeper than `max_depth`, and one when the document holds
    more than `max_aliases` aliases; each carries its code and limit."""
    shapes = DocumentWalk(document).shapes()
    errors = [GraphQLError(f"'{name or 'anonymous'}' exceeds maximum operation depth of "
                           f"{max_depth}", extensions={"code": depth_code, "limit": max_depth})
              for name, shape in shapes.items() if shape.depth > max_depth]
    aliases = sum(s.aliases for s in shapes.values())
    if aliases > max_aliases:
        errors.append(GraphQLError(f"{aliases} aliases found. Allowed: {max_aliases}",
                                   extensions={"code": aliases_code, "limit": max_aliases}))
    return errors


def shape_rule(max_depth: int, max_aliases: int, depth_code: str, aliases_code: str
               ) -> type[ValidationRule]:
    """`shape_errors` as a validation rule."""

    class ShapeRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            for error in shape_errors(context.document, max_depth, max_aliases, depth_code,
                                      aliases_code):
                context.report_error(error)

    return ShapeRule
