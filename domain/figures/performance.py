"""Performance against a plan: achievement of a target, its status, and a fiscal year's value."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from areagraph.core.validation import finite_or_none
from areagraph.domain.figures.period_series import over_time

ON_TRACK_FROM = 95.0  # Open SDG: on track at ≥ 95 % of the target pace
AT_RISK_FROM = 60.0  # 60–95 %: acceleration needed; below: limited progress


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


def achievement(value: float | None, target: float | None, direction: str) -> float | None:
    """How much of the target is achieved, in percent (100 = target met exactly).

    For a higher-is-better indicator it is value / target; for a lower-is-better one
    target / value, so staying under the target scores over 100.
    """
    if value is None or target is None:
        return None
    if direction == "lower":
        if value <= 0:
            return 100.0 if value <= target else 0.0
        return finite_or_none(100.0 * target / value)
    if target == 0:
        return 100.0 if value >= 0 else 0.0
    return finite_or_none(100.0 * value / target)


def status(achieved: float | None) -> Status | None:
    if achieved is None:
        return None
    if achieved >= ON_TRACK_FROM:
        return Status.ON_TRACK
    if achieved >= AT_RISK_FROM:
        return Status.AT_RISK
    return Status.OFF_TRACK


def fiscal_year_value(
    time_rule: str, points: Sequence[tuple[str, float | None]]
) -> tuple[float | None, str | None]:
    """A fiscal year's figure from its periods (oldest first) and the last period it includes,
    by the indicator's rule over time (`over_time`): flows are totalled year to date, levels
    read at the latest period with a figure (or their mean or maximum)."""
    value, period = over_time(time_rule, points)
    return finite_or_none(value), period
