"""The `areagraph` command: serve, migrate, seed, demo, token, apikey."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
import uvicorn
from sqlalchemy import create_engine, func, select

from areagraph.api.cli import complaints as cli_complaints
from areagraph.api.cli import sources as cli_sources
from areagraph.api.cli import surface as cli_surface
from areagraph.auth.principal import Role
from areagraph.core.settings import Settings

cli = typer.Typer(help="areagraph: the Ministry of Interior's GraphQL data gateway.",
                  no_args_is_help=True)
apikey = typer.Typer(help="Create, list and revoke API keys for partners and machine clients.",
                     no_args_is_help=True)
cli.add_typer(apikey, name="apikey")
cli.add_typer(cli_surface.graphiql, name="graphiql")
cli.add_typer(cli_surface.schema, name="schema")
cli.add_typer(cli_surface.openapi, name="openapi")
cli.add_typer(cli_sources.sources, name="sources")
cli.add_typer(cli_complaints.complaints, name="complaints")
T = TypeVar("T")


def _serve(settings: Settings) -> None:
    from areagraph.api.app import create_app

    # The gateway writes its own access line (with the request id and route) instead of
    # uvicorn's; with JSON logs uvicorn writes through the root logger too.
    json_logs = {"log_config": None} if settings.json_logs else {}
    # Per-message compression costs more CPU than it saves on small subscription events.
    # Forwarded headers are the app's business (AREAGRAPH_TRUSTED_PROXIES), not uvicorn's:
    # by default uvicorn would believe them from any loopback peer. Websocket closes and
    # shutdown are bounded (api/ws_protocol.py); in-flight requests get two thirds of the
    # shutdown timeout, the lifespan's cleanup the rest.
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level, access_log=False, ws_per_message_deflate=False,
                proxy_headers=False, ws="areagraph.api.realtime.ws_protocol:BoundedCloseProtocol",
                timeout_graceful_shutdown=max(1, round(settings.shutdown_timeout * 2 / 3)),
                **json_logs)  # type: ignore[arg-type]


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
    from areagraph.migrations.run import upgrade_to_head

    upgrade_to_head(Settings())
    typer.echo("database is at the newest revision")


@cli.command()
def seed(sample: bool = typer.Option(False, help="Also add deterministic demo data.")) -> None:
    """Load the DOPA area tree, agencies and indicators (and the demo data with --sample)."""
    _seed(Settings(), sample)


def _seed(settings: Settings, sample: bool) -> None:
    from areagraph.connectors.local.sample import seed_sample
    from areagraph.connectors.local.seed import seed_reference

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
    """Migrate, seed (with the sample when the database is empty), start the simulators, sync
    the sample complaints from Damrongdhama's, and serve."""
    from areagraph.connectors.local.models import Observation
    from areagraph.migrations.run import upgrade_to_head

    settings = Settings()
    # Development tokens are on in the demo unless AREAGRAPH_DEV_TOKENS says otherwise.
    dev_tokens = settings.dev_tokens if "dev_tokens" in settings.model_fields_set else True
    # Damrongdhama (its simulator) is the complaints' system of record unless set otherwise.
    system = settings.complaint_system if "complaint_system" in settings.model_fields_set \
        else "damrongdhama"
    settings = settings.model_copy(update={"host": host or settings.host,
                                           "port": port or settings.port,
                                           "dev_tokens": dev_tokens, "complaint_system": system})
    upgrade_to_head(settings)
    engine = create_engine(settings.sync_database_url)
    with engine.connect() as conn:
        empty = conn.execute(select(func.count()).select_from(Observation)).scalar_one() == 0
    engine.dispose()
    _seed(settings, sample=empty)
    simulators = cli_sources.start_configured_simulators(settings)
    typer.echo(f"source simulators: {', '.join(s.name for s in simulators) or 'none started'}")
    if system is not None:
        cli_complaints.demo_sync(settings)
    typer.echo(f"areagraph demo: http://{settings.host}:{settings.port}/dashboard/ "
               f"(GraphiQL: http://{settings.host}:{settings.port}/graphql)")
    try:
        _serve(settings)
    finally:
        for simulator in simulators:
            simulator.stop()


@cli.command()
def token(
    role: list[Role] = typer.Option(..., help="A role; repeat for several."),
    area: list[str] = typer.Option([], help="A DOPA area code in scope; repeat for several."),
    agency: str | None = typer.Option(None, help="The agency code the caller acts for."),
    topic: list[str] = typer.Option([], help="A topic granted; repeat for several."),
    ttl: int = typer.Option(3600, min=60, max=7 * 86400, help="Seconds until it expires."),
    sub: str = typer.Option("dev-user", help="The subject (who the token is for)."),
) -> None:
    """Print a development token (accepted only when AREAGRAPH_DEV_TOKENS is on, as in demo)."""
    from areagraph.auth import dev_issuer

    settings = Settings()
    key = dev_issuer.load_or_create_key(settings.dev_key_path)
    typer.echo(dev_issuer.issue_token(key, audience=settings.oidc_audience, subject=sub,
                                      roles=role, areas=area, agency=agency, topics=topic,
                                      ttl=ttl))
    if not settings.dev_tokens:
        typer.echo("note: this gateway refuses development tokens unless AREAGRAPH_DEV_TOKENS "
                   "is true (`areagraph demo` turns it on)", err=True)


def _with_database(work: Callable[..., Awaitable[T]]) -> T:
    from areagraph.api.clients import open_database

    async def run() -> T:
        database = open_database(Settings())
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


@apikey.command("create")
def apikey_create(
    name: str = typer.Option(..., help="Who the key is for, e.g. the partner agency's system."),
    role: list[Role] = typer.Option(..., help="A role; repeat for several."),
    area: list[str] = typer.Option([], help="A DOPA area code in scope; repeat for several."),
    topic: list[str] = typer.Option([], help="A topic granted; repeat for several."),
    agency: str | None = typer.Option(None, help="The agency code the key acts for."),
    expires_days: int | None = typer.Option(
        None, min=1, help="Days until it expires (default: AREAGRAPH_API_KEY_DEFAULT_DAYS)."),
    created_by: str = typer.Option("cli", help="The administrator creating it."),
) -> None:
    """Create a key and print it once: only its hash is kept."""
    from areagraph.auth.api_keys import create_api_key
    from areagraph.core.errors import BadUserInput

    try:
        issued = _with_database(lambda db: create_api_key(
            db, name=name, roles=[r.value for r in role], created_by=created_by,
            area_scope=area, topics=topic, agency=agency, expires_in_days=expires_days,
            default_days=Settings().api_key_default_days))
    except BadUserInput as error:
        raise typer.BadParameter(error.message) from None
    typer.echo(f"id: {issued.record.id}", err=True)
    typer.echo("the key is shown once; store it now:", err=True)
    typer.echo(issued.key)


@apikey.command("revoke")
def apikey_revoke(key_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Revoke a key at once."""
    from areagraph.auth.api_keys import revoke_api_key

    record = _with_database(lambda db: revoke_api_key(db, key_id))
    if record is None:
        typer.echo(f"no API key has the id {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {record.id} ({record.name}) at {record.revoked_at:%Y-%m-%d %H:%M:%S} UTC")


@apikey.command("list")
def apikey_list() -> None:
    """List keys: id, name, roles, areas, state, last use."""
    from areagraph.auth.api_keys import list_api_keys
    from areagraph.core.clock import utcnow

    now = utcnow()
    for k in _with_database(list_api_keys):
        state = ("revoked" if k.revoked_at else
                 "expired" if k.expires_at and k.expires_at <= now else "active")
        used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
        typer.echo(f"{k.id}  {k.name}  roles={','.join(k.roles)}  "
                   f"areas={','.join(k.area_scope) or '-'}  {state}  last used {used}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
