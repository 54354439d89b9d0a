"""The `app` command: the root Typer app, which mounts the sub-apps."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands import convex

app = typer.Typer(
    name="app",
    help="Developer CLI for the project's Convex backend.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion for bash, zsh and fish
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


def _reserve_standard_descriptors() -> None:
    """Give a closed stdin, stdout or stderr (`>&-`) a /dev/null descriptor, so that no file
    or pipe opened later takes its number and receives what was meant for the terminal.
    sys.stdout stays None: writing the output then fails as it should (see cli.shared.output)."""
    import os

    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _wants_json(argv: list[str]) -> bool:
    """--json among the app's own arguments (not after `--`, which belong to convex dev)."""
    own = argv[: argv.index("--")] if "--" in argv else argv
    return "--json" in own


def _usage_error_as_json(argv: list[str], error: Exception) -> int:
    """A usage error of a --json run, as the JSON error document every other error is."""
    from cli.shared.errors import AppError, ExitCode
    from cli.shared.output import emit_json, error_document

    words = [arg for arg in (argv[: argv.index("--")] if "--" in argv else argv) if not arg.startswith("-")]
    command = " ".join(words[:2]) or "app"
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    usage = AppError(message, f"Run `app {command} --help` for its options.", exit_code=ExitCode.USAGE)
    usage.code = "usage"
    emit_json(error_document(command, usage))
    return ExitCode.USAGE


def main() -> None:
    import sys

    _reserve_standard_descriptors()
    argv = sys.argv[1:]
    try:
        if not _wants_json(argv):
            app(prog_name="app")
            return
        # Typer reports usage errors itself, for people, unless asked to hand them over.
        try:
            code = app(prog_name="app", standalone_mode=False)
        except Exception as error:
            if getattr(error, "exit_code", None) != 2:
                raise
            code = _usage_error_as_json(argv, error)
        sys.exit(code if isinstance(code, int) else 0)
    except OSError as error:  # Typer's own output (help, usage errors) could not be written
        import errno

        if error.errno not in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG):
            raise
        from cli.shared.errors import ExitCode
        from cli.shared.output import OUTPUT_HINT, Line, print_lines, silence

        silence(sys.stdout)
        reason = error.strerror or str(error)
        lines: list[Line] = [
            [("error: ", "bold red"), f"the output could not be written to stdout: {reason}"],
            [("hint: ", "bold"), OUTPUT_HINT],
        ]
        print_lines(lines, stderr=True)
        sys.exit(ExitCode.OUTPUT)
