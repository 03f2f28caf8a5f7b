"""How an indicator's figures roll up the area tree, from grouped sums to one value.

The SQL side (`connectors.local.rollups`) groups the current figures under each parent area by
the depth (code length) they were recorded at and returns a few sums per group; `combine` turns
those into the parent's value. A parent's own recorded figure wins; otherwise its value comes
from the deepest level below it that has figures (DHIS2 aggregates from the data level too), and
`coverage` says how many areas at that level reported, so half a province is not read as a fall.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from areagraph.connectors.local.figures.rollups import LevelStats
from areagraph.core.area_codes import DEPTH_LEVEL, LEVEL_DEPTH
from areagraph.core.validation import finite_or_none

AGGREGATIONS = ("sum", "mean", "weighted_mean", "ratio", "max")


@dataclass(frozen=True)
class Rollup:
    """A parent area's value with how it was obtained."""

    value: float | None
    reported: int
    expected: int
    depth: int  # the depth the value comes from
    own: bool  # recorded for the area itself, not computed from below

    @property
    def level(self) -> str:
        return DEPTH_LEVEL.get(self.depth, "village")

    @property
    def coverage(self) -> float | None:
        return None if self.expected == 0 else self.reported / self.expected


def finish(aggregation: str, stats: LevelStats, percent: bool) -> float | None:
    """The value of a group of figures under the indicator's rule; None when undefined or
    beyond what a float holds."""
    return finite_or_none(_value(aggregation, stats, percent))


def _value(aggregation: str, stats: LevelStats, percent: bool) -> float | None:
    if stats.reported == 0:
        return None
    if aggregation == "sum":
        return stats.sum_v
    if aggregation == "mean":
        return None if stats.sum_v is None else stats.sum_v / stats.reported
    if aggregation == "max":
        return stats.max_v
    if aggregation == "weighted_mean":
        if not stats.sum_w or stats.sum_vw is None:
            return None
        return stats.sum_vw / stats.sum_w
    if aggregation == "ratio":
        if not stats.sum_w or stats.sum_v is None:
            return None
        return stats.sum_v / stats.sum_w * (100.0 if percent else 1.0)
    raise ValueError(f"unknown aggregation {aggregation!r}")


def _own_value(aggregation: str, stats: LevelStats, percent: bool) -> float | None:
    if aggregation == "ratio":
        return finish(aggregation, stats, percent)
    # One row: its value, whether or not a weight is on record for it.
    return None if stats.sum_v is None or stats.rows == 0 else stats.sum_v / stats.rows


def combine(aggregation: str, groups: Sequence[LevelStats], own_depth: int,
            expected: Mapping[int, int], base_depth: int, percent: bool) -> Rollup:
    """One parent's roll-up from its groups (one per depth at or below it).

    `expected` counts the parent's areas per depth (for coverage); `base_depth` is where
    figures are normally entered, used for the coverage of a parent with no figures at all.
    """
    by_depth = {g.depth: g for g in groups}
    own = by_depth.get(own_depth)
    if own is not None and own.rows:
        value = _own_value(aggregation, own, percent)
        if value is not None:
            return Rollup(value, 1, 1, own_depth, own=True)
    below = sorted((d for d, g in by_depth.items() if d > own_depth and g.reported), reverse=True)
    if not below:
        depth = max(base_depth, own_depth)
        return Rollup(None, 0, expected.get(depth, 1 if depth == own_depth else 0), depth,
                      own=False)
    depth = below[0]
    stats = by_depth[depth]
    return Rollup(finish(aggregation, stats, percent), stats.reported,
                  max(expected.get(depth, 0), stats.reported), depth, own=False)


def base_depth(entry_levels: Sequence[str]) -> int:
    """The deepest level figures are entered at; subdistricts for source-fed indicators."""
    depths = [LEVEL_DEPTH[level] for level in entry_levels if level in LEVEL_DEPTH]
    return max(depths) if depths else LEVEL_DEPTH["subdistrict"]
