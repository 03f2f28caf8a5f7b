"""`areagraph graphiql fetch`, `areagraph schema export` and `areagraph openapi export`: the
files the API surface is explored and generated from."""

from __future__ import annotations

from pathlib import Path

import typer

from areagraph.core.settings import Settings

graphiql = typer.Typer(help="GraphiQL served from local files.", no_args_is_help=True)
schema = typer.Typer(help="The GraphQL schema (SDL) front-end teams generate clients from.",
                     no_args_is_help=True)
openapi = typer.Typer(help="The OpenAPI document of the REST facade and Open311.",
                      no_args_is_help=True)


@graphiql.command("fetch")
def graphiql_fetch(
    directory: Path | None = typer.Option(None, "--dir", help="Default: the gateway's folder."),
    force: bool = typer.Option(False, help="Download even when the files are there."),
) -> None:
    """Take GraphiQL's files from their npm packages (npm pack) and check their hashes."""
    from areagraph.api.pages.graphiql import assets_dir, fetch, installed

    target = directory or assets_dir(Settings())
    if installed(target) and not force:
        typer.echo(f"GraphiQL files are in {target}")
        return
    for path in fetch(target):
        typer.echo(f"fetched {path}")


def _write_or_check(text: str, output: Path, check: bool) -> None:
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            typer.echo(f"{output} is out of date: run the export again", err=True)
            raise typer.Exit(1)
        typer.echo(f"{output} is current")
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


@schema.command("export")
def schema_export(
    output: Path = typer.Option(Path("schema.graphql"), "--output", "-o"),
    check: bool = typer.Option(False, help="Fail when the file differs instead of writing it."),
) -> None:
    """Write the schema in SDL."""
    from areagraph.api.graphql.sdl import schema_sdl

    _write_or_check(schema_sdl(), output, check)


@openapi.command("export")
def openapi_export(
    output: Path = typer.Option(Path("openapi/areagraph.yaml"), "--output", "-o"),
    check: bool = typer.Option(False, help="Fail when the file differs instead of writing it."),
) -> None:
    """Write the OpenAPI document of the REST facade and Open311 (YAML)."""
    from areagraph.api.app import create_app
    from areagraph.api.rest.openapi_doc import openapi_yaml

    _write_or_check(openapi_yaml(create_app(Settings(_env_file=None))), output, check)
