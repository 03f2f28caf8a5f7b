"""`areagraph complaints …`: bring the local complaints in line with their system of record."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer

from areagraph.core.clock import to_bangkok, utcnow
from areagraph.core.errors import AppError
from areagraph.core.periods import fiscal_year_of
from areagraph.core.settings import Settings

complaints = typer.Typer(help="Complaints and their system of record (Damrongdhama).",
                         no_args_is_help=True)
_SHOWN = 20
DEMO_AREAS = ("34", "10")  # what `areagraph demo` syncs: Ubon Ratchathani and Bangkok

_AREAS = typer.Option(["TH"], help="A DOPA area code; repeat for several.")
_FISCAL_YEAR = typer.Option(None, help="CE fiscal year; the current one when omitted.")
_SOURCE = typer.Option(None, help="The complaint system; the setting's, else damrongdhama.")

if TYPE_CHECKING:
    from areagraph.domain.complaints.records import SyncReport


def _this_fiscal_year() -> int:
    return fiscal_year_of(to_bangkok(utcnow()).date())


@complaints.command()
def sync(
    area: list[str] = _AREAS, fiscal_year: int = _FISCAL_YEAR, source: str | None = _SOURCE,
) -> None:
    """Make the local store hold exactly the source's tickets received in the fiscal year."""
    _run(area, fiscal_year, source, repair=True)


@complaints.command()
def reconcile(
    area: list[str] = _AREAS, fiscal_year: int = _FISCAL_YEAR, source: str | None = _SOURCE,
    repair: bool = typer.Option(False, help="Also repair what differs."),
) -> None:
    """Report how the local complaints differ from the source (exit 1 when they do and
    --repair was not given)."""
    drift = _run(area, fiscal_year, source, repair)
    if drift and not repair:
        raise typer.Exit(1)


def _run(areas: list[str], fiscal_year: int | None, source: str | None, repair: bool) -> bool:
    settings = Settings()
    try:
        report = asyncio.run(sync_areas(settings, areas, fiscal_year or _this_fiscal_year(),
                                        source, repair))
    except (AppError, ValueError) as exc:
        typer.echo(f"error: {getattr(exc, 'message', exc)}", err=True)
        raise typer.Exit(2) from None
    drift = report.drift
    typer.echo(f"fetched {report.fetched} tickets; missing here {len(drift.missing_here)}, "
               f"differing {len(drift.differing)}, gone at the source "
               f"{len(drift.gone_at_source)}, unchanged {drift.unchanged}"
               + ("; repaired" if repair and drift.any else ""))
    for ticket, fields in list(drift.differing.items())[:_SHOWN]:
        typer.echo(f"  differs  {ticket}: {', '.join(fields)}")
    for ticket in drift.gone_at_source[:_SHOWN]:
        typer.echo(f"  gone     {ticket}")
    if report.unmapped:
        typer.echo(f"not on today's map ({len(report.unmapped)}):")
        for row in report.unmapped[:_SHOWN]:
            typer.echo(f"  {row.key}: {row.reason}")
    return drift.any


async def sync_areas(settings: Settings, areas: list[str], fiscal_year: int,
                     source: str | None, repair: bool) -> SyncReport:
    """Reconcile with the configured complaint system, building and closing what it needs."""
    from areagraph.api.clients import store_and_sources
    from areagraph.domain.complaints.records import complaint_system, reconcile_complaints

    async with store_and_sources(settings) as (database, registry):
        system = complaint_system(registry, source or settings.complaint_system
                                  or "damrongdhama")
        assert system is not None
        return await reconcile_complaints(database, system, areas, fiscal_year, repair)


def demo_sync(settings: Settings) -> None:
    """The demo's complaints: the simulator's tickets of a few provinces, last fiscal year and
    this one, synced in (the demo goes on without them if the simulator does not answer)."""
    this_year = _this_fiscal_year()

    async def run() -> list[SyncReport]:
        return [await sync_areas(settings, list(DEMO_AREAS), year, None, repair=True)
                for year in (this_year - 1, this_year)]

    try:
        reports = asyncio.run(run())
    except (AppError, ValueError) as exc:
        typer.echo(f"complaints: not synced ({getattr(exc, 'message', exc)})", err=True)
        return
    typer.echo(f"complaints: {sum(r.fetched for r in reports)} Damrongdhama tickets of "
               f"{', '.join(DEMO_AREAS)} synced")
