"""The app's errors and the exit codes they map to (a documented contract, see docs/output.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # a check failed or the deployment is unhealthy
    USAGE = 2  # Typer's own usage errors
    CONFIG = 3  # configuration or environment missing
    UNREACHABLE = 4  # deployment unreachable or timed out
    OUTPUT = 74  # the output could not be written (stdout closed, disk full): EX_IOERR
    INTERRUPTED = 130


class AppError(Exception):
    """An error the user can act on: one line of what is wrong, one of what to do."""

    exit_code: int = ExitCode.FAILED
    code: str = "error"

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        detail: str | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Shown only with --debug; must never contain secrets.
        self.detail = detail
        if exit_code is not None:
            self.exit_code = exit_code


class ConfigError(AppError):
    """Configuration or environment missing or malformed (exit 3)."""

    exit_code = ExitCode.CONFIG
    code = "config"


class ToolchainError(ConfigError):
    """node, npm packages or other tools the project needs are missing (exit 3)."""

    code = "toolchain"


class UnreachableError(AppError):
    """The deployment did not answer: refused, DNS, TLS or a deadline passed (exit 4)."""

    exit_code = ExitCode.UNREACHABLE
    code = "unreachable"


class OutputError(AppError):
    """stdout could not be written: closed, a full disk, an I/O error (exit 74).

    Reported on stderr alone, since stdout is what failed."""

    exit_code = ExitCode.OUTPUT
    code = "output"


class Interrupted(AppError):
    """Ctrl-C (exit 130), or SIGTERM/SIGHUP (128 + the signal's number)."""

    exit_code = ExitCode.INTERRUPTED
    code = "interrupted"
