"""Each row type the store's reads return names exactly its table's columns, nullable where
the column is: a column added, dropped or made optional fails here, not in a reader."""

from __future__ import annotations

import types
from typing import Any, get_args, get_type_hints

import pytest
from sqlalchemy import Table

from areagraph.connectors.local import models
from areagraph.connectors.local.areas import AreaRow
from areagraph.connectors.local.audit_log import AuditRow
from areagraph.connectors.local.complaints.reads import ComplaintRow, TransitionRow
from areagraph.connectors.local.figures.catalog import AgencyRow, CategoryRow, IndicatorRow
from areagraph.connectors.local.figures.observations import ObservationRow
from areagraph.connectors.local.figures.targets import TargetRow
from areagraph.connectors.local.projects.reads import (
    MilestoneRow,
    ProjectAreaRow,
    ProjectIndicatorRow,
    ProjectRow,
)

ROW_TYPES: list[tuple[Any, Any]] = [
    (AreaRow, models.Area),
    (AgencyRow, models.Agency),
    (IndicatorRow, models.Indicator),
    (CategoryRow, models.ComplaintCategory),
    (ObservationRow, models.Observation),
    (TargetRow, models.Target),
    (ProjectRow, models.Project),
    (ProjectAreaRow, models.ProjectArea),
    (ProjectIndicatorRow, models.ProjectIndicator),
    (MilestoneRow, models.ProjectMilestone),
    (ComplaintRow, models.Complaint),
    (TransitionRow, models.ComplaintTransition),
    (AuditRow, models.AuditRecord),
]


def _optional(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) and type(None) in get_args(hint)


@pytest.mark.parametrize(("row_type", "model"), ROW_TYPES,
                         ids=[row.__name__ for row, _ in ROW_TYPES])
def test_a_row_type_matches_its_table(row_type: Any, model: Any) -> None:
    table: Table = model.__table__
    hints = get_type_hints(row_type)
    assert list(hints) == [c.name for c in table.columns]
    assert {k: _optional(h) for k, h in hints.items()} == {
        c.name: bool(c.nullable) for c in table.columns}
