"""The one place that turns what a command did, or the error it raised, into an exit code."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

import typer

from cli.shared.errors import AppError, ExitCode, Interrupted


def run(command: str, action: Callable[[], int], *, json_output: bool, debug: bool = False) -> NoReturn:
    """Run `action` (which renders its own result and returns an exit code) and exit.

    AppError becomes one line of cause and one of advice (or a JSON document), with
    its documented exit code; Ctrl-C becomes 130. No traceback unless --debug.
    """
    from cli.shared import output

    try:
        code = action()
    except AppError as error:
        if json_output:
            output.emit_json(output.error_document(command, error, debug=debug))
        else:
            output.render_error(error, debug=debug)
        code = error.exit_code
    except KeyboardInterrupt:
        from cli.shared.process import kill_running

        kill_running()
        interrupted = Interrupted("interrupted")
        if json_output:
            output.emit_json(output.error_document(command, interrupted))
        else:
            output.render_error(interrupted)
        code = ExitCode.INTERRUPTED
    except Exception:
        if debug:
            raise
        unexpected = AppError(
            f"{command} failed unexpectedly",
            "Run it again with --debug to see the traceback, and report it.",
        )
        if json_output:
            output.emit_json(output.error_document(command, unexpected))
        else:
            output.render_error(unexpected)
        code = ExitCode.FAILED
    raise typer.Exit(int(code))
