"""Rendering shared by all commands: styled lines for people, one JSON document for machines.

A line is a list of pieces, plain strings or (text, rich style) pairs. On a terminal
rich prints them (and honours NO_COLOR, TERM and FORCE_COLOR); anywhere else they are
written as plain text without importing rich, which saves ~50 ms a run in CI and pipes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from cli.shared.errors import AppError

Piece = str | tuple[str, str]
Line = list[Piece]


def print_lines(lines: list[Line], *, stderr: bool = False) -> None:
    stream: TextIO = sys.stderr if stderr else sys.stdout
    with _reader_may_leave(stream):
        if stream.isatty() or os.environ.get("FORCE_COLOR"):
            from rich.console import Console
            from rich.text import Text

            # soft_wrap leaves long lines to the terminal instead of breaking them
            console = Console(file=stream, highlight=False, soft_wrap=True)
            for line in lines:
                console.print(Text.assemble(*line))
        else:
            stream.write("".join(_plain(line) + "\n" for line in lines))
        stream.flush()


@contextlib.contextmanager
def _reader_may_leave(stream: TextIO) -> Iterator[None]:
    """`app convex check | head -1`: once the reader has gone, the rest is not an error
    (the command still exits with its own code)."""
    try:
        yield
    except BrokenPipeError:
        # Later writes, and the flush at exit, must not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def _plain(line: Line) -> str:
    return "".join(piece if isinstance(piece, str) else piece[0] for piece in line)


def emit_json(document: dict[str, Any]) -> None:
    """The only thing a --json run writes to stdout."""
    with _reader_may_leave(sys.stdout):
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def error_document(command: str, error: AppError, *, debug: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message, "hint": error.hint}
    if debug and error.detail:
        body["detail"] = error.detail
    return {"command": command, "ok": False, "exit_code": int(error.exit_code), "error": body}


def render_error(error: AppError, *, debug: bool = False) -> None:
    lines: list[Line] = [[("error: ", "bold red"), error.message]]
    if error.hint:
        lines.append([("hint: ", "bold"), error.hint])
    if debug and error.detail:
        lines.append([(error.detail, "dim")])
    print_lines(lines, stderr=True)
