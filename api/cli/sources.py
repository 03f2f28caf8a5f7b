"""`areagraph sources …`: what source systems are configured, whether they answer, simulators."""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import urlsplit

import typer

from areagraph.connectors.config import SourceConfig, load_sources
from areagraph.connectors.simulators.server import SIMULATORS, RunningSimulator
from areagraph.core.errors import AppError
from areagraph.core.settings import Settings
from areagraph.domain.figures.sync.flow import SyncReport

sources = typer.Typer(help="The departmental and state-enterprise source systems.",
                      no_args_is_help=True)


@sources.command("list")
def list_sources() -> None:
    """Show each configured source: connector, agency, address, patience and what it provides."""
    from areagraph.connectors.registry import ConnectorDeps, build_connector

    settings = Settings()
    for config in load_sources(settings.sources_file):
        if config.kind == "local":
            provides = "the local store's indicators"
            agency = config.agency or "OPS"
        else:
            connector = build_connector(config, ConnectorDeps())
            agency = connector.agency
            provides = ", ".join(sorted(connector.provides.indicators
                                        | connector.provides.event_kinds))
        where = str(config.base_url or settings.database_url)
        typer.echo(f"{config.name:<14} {config.kind:<13} {agency:<13} {where}\n"
                   f"{'':<14} timeout {config.timeout}s, retries {config.retries}, "
                   f"cache {config.cache_ttl:g}s, auth {config.auth.type}\n"
                   f"{'':<14} provides {provides}")


@sources.command()
def check() -> None:
    """Ask every configured source whether it answers; exit 1 when one does not."""
    results = asyncio.run(_check(Settings()))
    width = max(len(name) for name, _ in results)
    for name, outcome in results:
        typer.echo(f"{name:<{width}}  {outcome}")
    if any(not outcome.startswith("ok") for _, outcome in results):
        raise typer.Exit(1)


async def _check(settings: Settings) -> list[tuple[str, str]]:
    from areagraph.api.clients import store_and_sources

    async with store_and_sources(settings) as (_database, registry):
        outcomes = await asyncio.gather(*(s.check() for s in registry), return_exceptions=True)
        return [(source.name, _describe(outcome))
                for source, outcome in zip(registry, outcomes, strict=True)]


def _describe(outcome: float | BaseException) -> str:
    if isinstance(outcome, AppError):
        return f"FAILED {outcome.code}: {outcome.message}"
    if isinstance(outcome, TimeoutError):
        return "FAILED SOURCE_UNAVAILABLE: no answer in time"
    if isinstance(outcome, BaseException):
        return f"FAILED {type(outcome).__name__}"
    return f"ok ({outcome:.0f} ms)"


@sources.command()
def sync(name: str | None = typer.Argument(None, help="One source; every one when omitted."),
         province: list[str] = typer.Option([], help="Only this province (repeat for more)."),
         fiscal_years: int | None = typer.Option(
             None, help="Fiscal years back from today; the source's sync_fiscal_years when "
                        "omitted.")) -> None:
    """Bring the sources' figures into the store now; exit 1 when a sync fails."""
    reports = asyncio.run(_sync(Settings(), name, province, fiscal_years))
    for report in reports:
        outcome = "ok" if report.ok else f"FAILED {report.error}"
        typer.echo(f"{report.source:<14} {outcome}: {report.provinces} provinces, "
                   f"{report.written} revisions written, {report.unchanged} unchanged, "
                   f"{len(report.rejected)} rows refused")
        for rejected in report.rejected[:20]:
            typer.echo(f"{'':<14} refused {rejected.row}: {rejected.reason}")
    if any(not r.ok for r in reports):
        raise typer.Exit(1)


async def _sync(settings: Settings, name: str | None, provinces: list[str],
                fiscal_years: int | None) -> list[SyncReport]:
    from areagraph.api.clients import store_and_sources
    from areagraph.domain.figures.sync.flow import recent_scope, sync_source, syncable

    async with store_and_sources(settings) as (database, registry):
        chosen = [s for s in registry if syncable(s) and name in (None, s.name)]
        if name is not None and not chosen:
            raise typer.BadParameter(f"no configured source with figures named {name!r}")
        return [await sync_source(s, database,
                                  recent_scope(fiscal_years or s.config.sync_fiscal_years,
                                               provinces))
                for s in chosen]


@sources.command()
def serve(name: str | None = typer.Argument(None, help="One simulator; all when omitted.")
          ) -> None:
    """Run the built-in simulators of the source systems on their configured ports."""
    running = start_configured_simulators(Settings(), [name] if name else None)
    for simulator in running:
        typer.echo(f"{simulator.name:<13} {simulator.url}  (OpenAPI: {simulator.url}/docs)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for simulator in running:
            simulator.stop()


@sources.command()
def openapi() -> None:
    """Write each simulator's OpenAPI document to openapi/sources/."""
    from areagraph.connectors.simulators.openapi import write_openapi

    for path in write_openapi():
        typer.echo(f"wrote {path}")


def _simulated(configs: list[SourceConfig], names: list[str] | None) -> list[SourceConfig]:
    chosen = [c for c in configs if c.kind in SIMULATORS and c.base_url is not None
              and (names is None or c.name in names)]
    if names and len(chosen) != len(names):
        raise typer.BadParameter(f"no configured simulated source among {', '.join(names)}")
    return chosen


def start_configured_simulators(settings: Settings, names: list[str] | None = None
                                ) -> list[RunningSimulator]:
    """Start the simulators the configured sources point at (on 127.0.0.1 only)."""
    running: list[RunningSimulator] = []
    for config in _simulated(load_sources(settings.sources_file), names):
        address = urlsplit(config.url)
        if address.hostname not in ("127.0.0.1", "localhost") or address.port is None:
            continue
        try:
            running.append(RunningSimulator(config.kind, address.port).start())
        except OSError as exc:
            typer.echo(f"{config.name}: port {address.port} is taken ({exc.strerror}); "
                       "assuming it already runs")
    return running

