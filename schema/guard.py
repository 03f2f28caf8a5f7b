"""Puts the role policy in front of every root field, from the one table in `auth.policy`."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.base import get_object_definition

from areagraph.auth.policy import ROOT_FIELDS, Capability, require
from areagraph.resolvers.context import Info


class RootFieldPolicy(BasePermission):
    """Refuses the field unless the caller is authenticated and holds its capability."""

    message = "not allowed"

    def __init__(self, capability: Capability) -> None:
        super().__init__()
        self.capability = capability

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require(info.context.principal, self.capability)  # raises a coded error when refused
        return True


def guard_root_fields(*root_types: type | None) -> None:
    """Attach the policy to each root field; fail (at start-up) on a field with no policy row."""
    for root in root_types:
        if root is None:
            continue
        definition = get_object_definition(root, strict=True)
        for field in definition.fields:
            name = field.graphql_name or _camel(field.python_name)
            if name not in ROOT_FIELDS:
                raise RuntimeError(f"root field {name!r} has no row in auth.policy.ROOT_FIELDS")
            if not any(isinstance(e, PermissionExtension) for e in field.extensions):
                field.extensions.append(PermissionExtension(
                    permissions=[RootFieldPolicy(ROOT_FIELDS[name].capability)],
                    use_directives=False))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
