"""Turns the caller's grants and the area they asked for into the filter pushed into SQL."""

from __future__ import annotations

from areagraph.auth.policy import Capability, Grant, grants, require
from areagraph.core.area_codes import within
from areagraph.core.errors import Forbidden
from areagraph.resolvers.context import Info


def scoped_grants(info: Info, capability: Capability, requested_area: str | None) -> list[Grant]:
    """What the caller may list, narrowed to the requested area's subtree.

    Asking for an area above one's scope narrows to the scope; asking for an area wholly
    outside it is refused rather than answered with an empty list that would read as "none".
    """
    principal = require(info.context.principal, capability)
    allowed = grants(principal, capability)
    if requested_area is None:
        return allowed
    narrowed: list[Grant] = []
    for grant in allowed:
        if grant.areas is None or within(requested_area, grant.areas):
            narrowed.append(Grant(areas=(requested_area,), agency=grant.agency))
            continue
        inside = tuple(a for a in grant.areas if within(a, [requested_area]))
        if inside:
            narrowed.append(Grant(areas=inside, agency=grant.agency))
    if not narrowed:
        raise Forbidden(f"area {requested_area} is outside your scope", argument="areaCode")
    return narrowed
