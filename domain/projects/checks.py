"""What a project's figures must satisfy: budgets in baht, progress in percent, sane dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from areagraph.core.validation import baht_problem, percent_problem

STATUSES = frozenset({"planned", "in_progress", "completed", "suspended", "cancelled"})
MILESTONE_STATUSES = frozenset({"pending", "in_progress", "done", "late", "cancelled"})


def new_project_problems(*, budget_allocated: Decimal, start: date, end: date,
                         fiscal_year: int, area_codes: list[str]) -> list[tuple[str, str]]:
    """(field, reason) for each rule a new project breaks."""
    problems: list[tuple[str, str]] = []
    if (problem := baht_problem(budget_allocated)) is not None:
        problems.append(("budgetAllocated", problem))
    if end < start:
        problems.append(("endDate", "the project cannot end before it starts"))
    if not 1990 <= fiscal_year <= 2100:
        problems.append(("fiscalYear", f"fiscal year {fiscal_year} is out of range (send CE)"))
    if not area_codes:
        problems.append(("areaCodes", "a project works in at least one area"))
    return problems


def progress_problems(*, progress_pct: float | None, disbursed: Decimal | None,
                      allocated: Decimal, status: str | None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if progress_pct is not None and percent_problem(progress_pct) is not None:
        problems.append(("progressPct", "progress must be between 0 and 100 %"))
    if disbursed is not None and (problem := baht_problem(disbursed)) is not None:
        problems.append(("budgetDisbursed", problem))
    elif disbursed is not None and not disbursed <= allocated:
        problems.append(("budgetDisbursed",
                         f"disbursed must be between 0 and the allocated {allocated} THB"))
    if status is not None and status not in STATUSES:
        problems.append(("status", f"unknown status {status!r}"))
    return problems
