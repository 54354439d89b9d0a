"""The `app` command: the root Typer app, which mounts the sub-apps."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands import convex

app = typer.Typer(
    name="app",
    help="Developer CLI for the project's Convex backend.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(convex.app, name="convex")


def _version(value: bool) -> None:
    if value:
        from cli import __version__

        typer.echo(f"app {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Developer CLI for the project's Convex backend."""


def main() -> None:
    app(prog_name="app")
