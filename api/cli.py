"""The `areagraph` command: serve, migrate, seed, demo."""

from __future__ import annotations

import typer
import uvicorn
from sqlalchemy import create_engine, func, select

from api.settings import Settings

cli = typer.Typer(help="areagraph: the Ministry of Interior's GraphQL data gateway.",
                  no_args_is_help=True)


def _serve(settings: Settings) -> None:
    from api.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level)


@cli.command()
def serve(host: str | None = None, port: int | None = None) -> None:
    """Run the gateway (GraphQL at /graphql, GraphiQL in a browser)."""
    settings = Settings()
    settings = settings.model_copy(update={"host": host or settings.host,
                                           "port": port or settings.port})
    _serve(settings)


@cli.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    from connectors.local.migrate import upgrade_to_head

    upgrade_to_head(Settings())
    typer.echo("database is at the newest revision")


@cli.command()
def seed(sample: bool = typer.Option(False, help="Also add deterministic demo data.")) -> None:
    """Load the DOPA area tree, agencies and indicators (and the demo data with --sample)."""
    _seed(Settings(), sample)


def _seed(settings: Settings, sample: bool) -> None:
    from connectors.local.sample import seed_sample
    from connectors.local.seed import seed_reference

    engine = create_engine(settings.sync_database_url)
    try:
        report = seed_reference(engine)
        typer.echo(f"reference data: inserted {report.inserted}, updated {report.updated}")
        if sample:
            typer.echo(f"sample data: inserted {seed_sample(engine) or 'nothing (present)'}")
    finally:
        engine.dispose()


@cli.command()
def demo(host: str | None = None, port: int | None = None) -> None:
    """Migrate, seed (with the sample when the database is empty) and serve."""
    from connectors.local.migrate import upgrade_to_head
    from connectors.local.models import Observation

    settings = Settings()
    settings = settings.model_copy(update={"host": host or settings.host,
                                           "port": port or settings.port})
    upgrade_to_head(settings)
    engine = create_engine(settings.sync_database_url)
    with engine.connect() as conn:
        empty = conn.execute(select(func.count()).select_from(Observation)).scalar_one() == 0
    engine.dispose()
    _seed(settings, sample=empty)
    typer.echo(f"areagraph demo: http://{settings.host}:{settings.port}/graphql")
    _serve(settings)


def main() -> None:
    cli()
