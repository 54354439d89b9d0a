"""Rendering shared by all commands: rich for people, one JSON document for machines.

rich is imported only when something is printed for a person, so `--json` and
`--help` never pay for it.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from cli.shared.errors import AppError


@cache
def stdout_console() -> Console:
    from rich.console import Console

    # rich honours NO_COLOR and non-TTY output; soft_wrap leaves long lines to the terminal.
    return Console(highlight=False, soft_wrap=True)


@cache
def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(document: dict[str, Any]) -> None:
    """The only thing a --json run writes to stdout."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error_document(command: str, error: AppError, *, debug: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message, "hint": error.hint}
    if debug and error.detail:
        body["detail"] = error.detail
    return {"command": command, "ok": False, "exit_code": int(error.exit_code), "error": body}


def render_error(error: AppError, *, debug: bool = False) -> None:
    from rich.text import Text

    console = stderr_console()
    console.print(Text.assemble(("error: ", "bold red"), error.message))
    if error.hint:
        console.print(Text.assemble(("hint: ", "bold"), error.hint))
    if debug and error.detail:
        console.print(Text(error.detail, style="dim"))
