"""The pure monitoring rules, checked by hand."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from areagraph.connectors.local.complaints.workflow import Case
from areagraph.connectors.local.figures.rollups import LevelStats
from areagraph.core.periods import fiscal_year_of, parse_period
from areagraph.domain.alerts.rules import breaches
from areagraph.domain.complaints.states import (
    TRANSITIONS,
    IllegalTransition,
    check_transition,
)
from areagraph.domain.complaints.stats import summarize
from areagraph.domain.figures.aggregation import Rollup, base_depth, combine, finish
from areagraph.domain.figures.entry_checks import check_row, period_problem, value_problem
from areagraph.domain.figures.performance import Status, achievement, fiscal_year_value, status
from areagraph.domain.figures.period_series import periods_back, periods_of_fiscal_year

VALUES = LevelStats(depth=6, rows=3, reported=3, sum_v=30.0, sum_vw=None, sum_w=None, max_v=15.0)


@pytest.mark.parametrize(("rule", "expected"), [("sum", 30.0), ("mean", 10.0), ("max", 15.0)])
def test_plain_rules(rule: str, expected: float) -> None:
    assert finish(rule, VALUES, percent=False) == expected


def test_weighted_mean_and_ratio() -> None:
    weighted = LevelStats(depth=6, rows=3, reported=2, sum_v=240.0, sum_vw=90 * 1000 + 70 * 3000,
                          sum_w=4000.0, max_v=90.0)
    assert finish("weighted_mean", weighted, percent=True) == 75.0
    ratio = LevelStats(depth=4, rows=3, reported=2, sum_v=400.0, sum_w=2000.0)
    assert finish("ratio", ratio, percent=True) == 20.0
    assert finish("ratio", ratio, percent=False) == 0.2
    assert finish("ratio", LevelStats(depth=4, rows=1, reported=1, sum_v=1.0, sum_w=0.0),
                  percent=True) is None


def test_combine_prefers_own_figure_then_the_deepest_level() -> None:
    own = LevelStats(depth=4, rows=1, reported=1, sum_v=60.0, max_v=60.0)
    below = LevelStats(depth=6, rows=2, reported=2, sum_v=170.0, max_v=90.0)
    expected = {6: 8}
    assert combine("mean", [own, below], 4, expected, 6, False) == Rollup(60.0, 1, 1, 4, True)
    assert combine("mean", [below], 4, expected, 6, False) == Rollup(85.0, 2, 8, 6, False)
    districts = LevelStats(depth=4, rows=1, reported=1, sum_v=5.0, max_v=5.0)
    assert combine("sum", [districts, below], 2, {4: 3, 6: 17}, 6, False).value == 170.0
    assert combine("sum", [districts], 2, {4: 3, 6: 17}, 6, False).coverage == pytest.approx(1 / 3)
    nothing = combine("sum", [], 2, {4: 3, 6: 17}, 6, False)
    assert (nothing.value, nothing.reported, nothing.expected) == (None, 0, 17)


def test_base_depth() -> None:
    assert base_depth(["district", "subdistrict"]) == 6
    assert base_depth(["province", "district"]) == 4
    assert base_depth([]) == 6


def test_achievement_and_status_follow_the_direction() -> None:
    assert achievement(90, 100, "higher") == 90.0
    assert achievement(40, 50, "lower") == 125.0
    assert achievement(0, 0, "lower") == 100.0
    assert achievement(5, 0, "lower") == 0.0
    assert achievement(None, 10, "higher") is None
    assert achievement(10, None, "higher") is None
    assert status(95.0) is Status.ON_TRACK
    assert status(94.9) is Status.AT_RISK
    assert status(60.0) is Status.AT_RISK
    assert status(59.9) is Status.OFF_TRACK
    assert status(None) is None


def test_fiscal_year_value_follows_the_indicators_rule_over_time() -> None:
    points = [("2025-10", 7.0), ("2025-11", None), ("2026-09", 3.0)]
    assert fiscal_year_value("sum", points) == (10.0, "2026-09")
    assert fiscal_year_value("last", points) == (3.0, "2026-09")
    assert fiscal_year_value("mean", points) == (5.0, "2026-09")
    assert fiscal_year_value("max", points) == (7.0, "2026-09")
    assert fiscal_year_value("mean", [("2025-10", None)]) == (None, None)


def test_fiscal_year_boundaries() -> None:
    assert fiscal_year_of(date(2025, 9, 30)) == 2025
    assert fiscal_year_of(date(2025, 10, 1)) == 2026
    assert fiscal_year_of(date(2026, 9, 30)) == 2026
    fy = parse_period("FY2026")
    assert (fy.start, fy.end, fy.year_be) == (date(2025, 10, 1), date(2026, 9, 30), 2569)
    q1 = parse_period("FY2026-Q1")
    assert (q1.start, q1.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert parse_period("2025-09").fiscal_year == 2025
    assert parse_period("2025-10").fiscal_year == 2026
    months = periods_of_fiscal_year(2026, "month", date(2026, 11, 26))
    assert months[0] == "2025-10" and months[-1] == "2026-09" and len(months) == 12
    assert periods_of_fiscal_year(2026, "month", date(2025, 12, 5)) == ["2025-10", "2025-11",
                                                                       "2025-12"]
    assert periods_of_fiscal_year(2026, "fiscal_quarter", date(2026, 1, 1)) == [
        "FY2026-Q1", "FY2026-Q2"]


def test_periods_back() -> None:
    assert periods_back(parse_period("2026-02"), 3) == ["2025-12", "2026-01", "2026-02"]
    assert periods_back(parse_period("FY2026-Q1"), 2) == ["FY2025-Q4", "FY2026-Q1"]
    assert periods_back(parse_period("FY2026"), 2) == ["FY2025", "FY2026"]
    assert periods_back(parse_period("2026-Q1"), 2) == ["2025-Q4", "2026-Q1"]


def test_entry_checks() -> None:
    today = date(2026, 11, 26)
    assert value_problem("percent", 100.0) is None
    assert value_problem("percent", 100.5) is not None
    assert value_problem("percent", -1) is not None
    assert value_problem("households", 3.5) is not None
    assert value_problem("households", -1) is not None
    assert value_problem("THB", float("nan")) is not None
    assert value_problem("metres", -0.5) is None
    assert period_problem("2026-11", "month", today)[1] is None
    assert "future" in (period_problem("2026-12", "month", today)[1] or "")
    assert "fiscal quarter" in (period_problem("2026-03", "fiscal_quarter", today)[1] or "")
    assert "invalid period" in (period_problem("2026-13", "month", today)[1] or "")
    indicator = {"code": "X", "entry_levels": ["subdistrict"], "source": "local",
                 "aggregation": "sum", "period_type": "month", "unit": "households"}
    _, error = check_row(4, indicator, "34", "province", "2026-03", 1, today)
    assert error is not None and (error.index, error.field) == (4, "areaCode")
    period, error = check_row(0, indicator, "340101", "subdistrict", "2026-03", 1, today)
    assert error is None and period is not None and period.label == "2026-03"


# The README's complaint workflow ("Monitoring"), written out by hand: (from, to).
LEGAL_MOVES = {
    ("received", "accepted"), ("received", "rejected"), ("received", "referred"),
    ("accepted", "assigned"), ("accepted", "rejected"), ("accepted", "referred"),
    ("assigned", "in_progress"), ("assigned", "referred"), ("assigned", "rejected"),
    ("in_progress", "resolved"), ("in_progress", "referred"),
    ("referred", "assigned"), ("referred", "closed"),
    ("resolved", "closed"), ("resolved", "in_progress"),
    ("rejected", "closed"),
}
STATUSES = ("received", "accepted", "assigned", "in_progress", "referred", "rejected",
            "resolved", "closed")


def test_the_legal_complaint_moves_are_the_readmes_and_every_other_is_refused() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    for current, target in itertools.product(STATUSES, STATUSES):
        if (current, target) in LEGAL_MOVES:
            check_transition(current, target, "DOL", "because")
        else:
            with pytest.raises(IllegalTransition):
                check_transition(current, target, "DOL", "because")


def test_transitions_need_their_details() -> None:
    with pytest.raises(IllegalTransition) as missing_agency:
        check_transition("accepted", "assigned", None, "")
    assert missing_agency.value.field == "agencyCode"
    with pytest.raises(IllegalTransition) as missing_note:
        check_transition("received", "rejected", None, " ")
    assert missing_note.value.field == "note"
    with pytest.raises(IllegalTransition):
        check_transition("resolved", "in_progress", None, "")
    check_transition("resolved", "in_progress", None, "the complainant says it is not fixed")


def test_complaint_summary() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    day = timedelta(days=1)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cases = [
        Case("resolved", start, start + 15 * day, start + 2 * day),
        Case("closed", start, start + 15 * day, start + 20 * day),  # resolved late
        Case("closed", start, start + 15 * day, start + 6 * day),
        Case("in_progress", start, start + 15 * day, None),  # overdue
        Case("received", now - day, now + 14 * day, None),
        Case("rejected", start, start + 15 * day, None),
    ]
    found = summarize(cases, now)
    assert (found.received, found.open, found.resolved, found.rejected) == (6, 2, 3, 1)
    assert (found.overdue, found.resolved_late) == (1, 1)
    assert found.median_days_to_resolve == 6.0


def test_thresholds() -> None:
    assert breaches(301, ">", 300) and not breaches(300, ">", 300)
    assert breaches(300, ">=", 300)
    assert breaches(79.9, "<", 80) and not breaches(80, "<", 80)
    with pytest.raises(ValueError):
        breaches(1, "!=", 1)
