"""`app convex`: the group that mounts each command's module (one module per command)."""

from __future__ import annotations

import typer

from cli.commands import check, codegen, dev, ping
from cli.commands.help import CONTEXT_SETTINGS, Command, Group
from cli.commands.options import examples

app = typer.Typer(
    name="convex",
    cls=Group,
    help="Run, check and ping the project's Convex backend.",
    short_help="Run, check, ping the backend",
    epilog=examples(
        ("app convex dev", "push on every save, after a preflight check"),
        ("app convex check", "is the project's Convex setup right? (offline)"),
        ("app convex ping", "is the deployment up and running this code?"),
        ("app convex codegen", "write the typed Python models of the schema"),
        ("app convex check -h", "a command's options and examples"),
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings=CONTEXT_SETTINGS,
    rich_markup_mode=None,  # plain help (cli.commands.help), and no rich to import for it
)

# In the order of use: the dev loop all day, the check before pushing, ping when something
# looks wrong, codegen now and then (dev runs it too). Help and completion list them so.
for command in (dev, check, ping, codegen):
    app.command(
        command.NAME,
        cls=Command,
        help=command.HELP,
        short_help=command.SHORT_HELP,
        epilog=command.EPILOG,
        context_settings=CONTEXT_SETTINGS,
    )(command.command)
