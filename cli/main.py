"""The `app` command: the root Typer app, which mounts the sub-apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperGroup

from cli.commands import convex
from cli.commands.help import (
    CONTEXT_SETTINGS,
    RootGroup,
    complete_shell_names,
    install_completion,
    show_completion,
)
from cli.commands.options import examples

if TYPE_CHECKING:
    from collections.abc import Callable

    from cli.shared.errors import AppError

PROG_NAME = "app"
COMPLETE_VAR = "_APP_COMPLETE"  # set by the completion scripts when they ask for completions

app = typer.Typer(
    name=PROG_NAME,
    cls=RootGroup,
    help="Developer CLI for the project's Convex backend.",
    epilog=examples(
        ("app convex dev", "push on every save, after a preflight check"),
        ("app convex check", "is the project's Convex setup right? (offline)"),
        ("app convex ping", "is the deployment up and running this code?"),
        ("app convex codegen", "write the typed Python models of the schema"),
        ("app --install-completion", "tab completion for the shell this runs in"),
        ("app --show-completion zsh", "the zsh script (or bash, fish, powershell)"),
    ),
    no_args_is_help=True,
    # Typer's own completion options ignore a shell's name: `app` has its own (see root).
    add_completion=False,
    context_settings=CONTEXT_SETTINGS,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help (cli.commands.help), and no rich to import for it
)
app.add_typer(convex.app, name="convex")


def _version(value: bool) -> None:
    if value:
        from cli import __version__
        from cli.shared.output import emit_text

        emit_text(f"app {__version__}\n")
        raise typer.Exit()


def _completion_option(name: str, callback: Callable[[typer.Context, str | None], None], help: str) -> Any:
    """A completion option taking the shell's name ([SHELL]), or none for the shell this runs in."""
    return typer.Option(
        name,
        metavar="[SHELL]",
        callback=callback,
        is_eager=True,
        autocompletion=complete_shell_names,
        help=help,
    )


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    install: Annotated[
        str | None,
        _completion_option(
            "--install-completion",
            install_completion,
            "Install tab completion for SHELL: bash, zsh, fish or powershell (default: this shell).",
        ),
    ] = None,
    show: Annotated[
        str | None,
        _completion_option(
            "--show-completion",
            show_completion,
            "Print the completion script for SHELL (default: this shell), to copy or customise.",
        ),
    ] = None,
) -> None:
    """Developer CLI for the project's Convex backend."""


def _wants_json(argv: list[str]) -> bool:
    """--json among the app's own arguments (not after `--`, which belong to convex dev)."""
    own = argv[: argv.index("--")] if "--" in argv else argv
    return "--json" in own


def _usage_error(argv: list[str], error: ClickException) -> tuple[str, AppError]:
    """A usage error (click's, exit 2) as the AppError every other failure is: click's message,
    its "Did you mean 'ping'?" included, and where to read the options; with the command it
    belongs to ("convex ping"), which a --json run's document names."""
    from cli.shared.errors import AppError, ExitCode

    ctx = error.ctx if isinstance(error, UsageError) else None
    if ctx is not None:
        path = ctx.command_path  # "app convex ping"; "app convex" when it has no such command
        group = isinstance(ctx.command, TyperGroup)
    else:
        words = [
            arg for arg in (argv[: argv.index("--")] if "--" in argv else argv) if not arg.startswith("-")
        ]
        path, group = " ".join([PROG_NAME, *words[:2]]), False
    command = path.partition(" ")[2] or PROG_NAME
    reads = "its commands and options" if group else "its options"
    usage = AppError(error.format_message(), f"Run `{path} --help` for {reads}.", exit_code=error.exit_code)
    if error.exit_code == ExitCode.USAGE:
        usage.code = "usage"
    return command, usage


def _report(argv: list[str], error: AppError, command: str = PROG_NAME) -> NoReturn:
    """An error raised before any command ran (a usage error, help, completion, --version):
    one line of what is wrong and one of what to do, or the JSON document of a --json run."""
    import sys

    from cli.shared.errors import OutputError
    from cli.shared.output import emit_json, error_document, render_error

    try:
        if _wants_json(argv) and not isinstance(error, OutputError):
            emit_json(error_document(command, error))
        else:
            render_error(error)
    except OutputError as failed:  # say so where we still can: stderr
        render_error(failed)
        sys.exit(failed.exit_code)
    sys.exit(error.exit_code)


def main() -> None:
    import os
    import sys

    from cli.shared.errors import AppError
    from cli.shared.output import reserve_standard_descriptors

    reserve_standard_descriptors()
    argv = sys.argv[1:]
    command = PROG_NAME
    try:
        if os.environ.get(COMPLETE_VAR):
            from cli.commands.help import answer_completion

            answer_completion(lambda: app(prog_name=PROG_NAME))
        # Click's errors are handed over rather than printed in Typer's box, and reported as
        # every other error is, for people and for --json alike.
        try:
            code = app(prog_name=PROG_NAME, standalone_mode=False)
        except ClickException as error:
            command, usage = _usage_error(argv, error)
            raise usage from None
        sys.exit(code if isinstance(code, int) else 0)
    except AppError as error:
        _report(argv, error, command)
    except OSError as error:  # output that did not go through emit_text could not be written
        import errno

        if error.errno not in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG):
            raise
        from cli.shared.errors import ExitCode
        from cli.shared.output import OUTPUT_HINT, error_lines, print_lines, silence

        silence(sys.stdout)
        reason = error.strerror or str(error)
        print_lines(
            error_lines(f"the output could not be written to stdout: {reason}", OUTPUT_HINT), stderr=True
        )
        sys.exit(ExitCode.OUTPUT)
