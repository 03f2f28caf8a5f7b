"""What createProject and updateProjectProgress do: arguments in, the flow of
domain/projects/writes.py run with this request's desk, the result out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from areagraph.auth.policy import Capability, require
from areagraph.domain.projects import writes
from areagraph.domain.projects.writes import NewProject
from areagraph.resolvers import inputs
from areagraph.resolvers.context import Info
from areagraph.resolvers.write_audit import audit_of

__all__ = ["NewProject", "create_project", "update_progress"]


def _desk(info: Info) -> writes.Desk:
    loaders = info.context.loaders
    return writes.Desk(db=info.context.db, audit=audit_of(info), agencies=loaders.agency,
                       areas=loaders.area, indicators=loaders.indicator)


async def create_project(info: Info, new: NewProject) -> Any:
    principal = require(info.context.principal, Capability.WRITE_PROJECTS)
    area_codes = [inputs.area_code(a, "areaCodes") for a in new.area_codes]
    return await writes.create_project(_desk(info), principal,
                                       replace(new, area_codes=area_codes))


async def update_progress(info: Info, code: str, *, progress_pct: float | None,
                          disbursed: Decimal | None, status: str | None,
                          milestones: Sequence[tuple[str, str]]) -> Any:
    return await writes.update_progress(_desk(info), info.context.principal, code,
                                        progress_pct=progress_pct, disbursed=disbursed,
                                        status=status, milestones=milestones)
