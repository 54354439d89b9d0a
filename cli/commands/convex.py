"""`app convex`: the group that mounts each command's module (one module per command)."""

from __future__ import annotations

import typer

from cli.commands import check, codegen, dev, ping

app = typer.Typer(
    name="convex",
    help="Run, check and ping the project's Convex backend.",
    no_args_is_help=True,
    add_completion=False,
)

for command in (check, codegen, ping, dev):
    app.command(command.NAME, help=command.HELP, epilog=command.EPILOG)(command.command)
