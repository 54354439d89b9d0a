"""The one place that turns what a command did, or the error it raised, into an exit code."""

from __future__ import annotations

import errno
import signal
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

import typer

from cli.shared.errors import AppError, ExitCode, Interrupted, OutputError

# Ctrl-C raises KeyboardInterrupt by itself; these two are made to unwind the same way.
TERMINATING = (signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C does, ending every child on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise Stopped(signum)


def run(command: str, action: Callable[[], int], *, json_output: bool, debug: bool = False) -> NoReturn:
    """Run `action` (which renders its own result and returns an exit code) and exit.

    AppError becomes one line of cause and one of advice (or a JSON document), with
    its documented exit code; Ctrl-C becomes 130, SIGTERM and SIGHUP 128 + their number,
    and no child process outlives any of them. No traceback unless --debug.
    """
    from cli.shared import output

    def report(error: AppError) -> int:
        """Show the error; its exit code, or 74 when stdout failed while showing it."""
        try:
            if json_output and not isinstance(error, OutputError):
                output.emit_json(output.error_document(command, error, debug=debug))
            else:
                output.render_error(error, debug=debug)
        except OutputError as failed:  # say so where we still can: stderr
            output.render_error(failed, debug=debug)
            return failed.exit_code
        return error.exit_code

    from cli.shared.signals import handled

    with handled(TERMINATING, _stop):  # also while an error is being reported
        try:
            code = action()
        except AppError as error:
            code = report(error)
        except (KeyboardInterrupt, Stopped) as stop:
            # CPython marks a KeyboardInterrupt that surfaced from eval() or exec() of a string
            # (namedtuple does one while a module imports) as never handled, even once caught,
            # and then ends the process by SIGINT, not with the exit code below. Any later
            # exec() of a string clears the mark.
            exec("pass")
            from cli.shared.process import kill_running

            kill_running()
            signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
            name = signal.Signals(signum).name
            message = "interrupted" if signum == signal.SIGINT else f"stopped by {name}"
            code = report(
                Interrupted(
                    message, exit_code=ExitCode.INTERRUPTED if signum == signal.SIGINT else 128 + signum
                )
            )
        except Exception as error:
            if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:
                from cli.services.project import path_too_long

                code = report(path_too_long(error.filename or "?"))  # deep inside the project
            else:
                code = report(
                    AppError(
                        f"{command} failed unexpectedly",
                        "Run it again with --debug to see the traceback, and report it.",
                    )
                )
                if debug:
                    raise
    raise typer.Exit(int(code))
