"""Rendering shared by all commands: styled lines for people, one JSON document for machines.

A line is a list of pieces, plain strings or (text, rich style) pairs. On a terminal
rich renders them (and honours NO_COLOR, TERM and FORCE_COLOR), each wrapped to the width
by the one rule of cli.shared.text; anywhere else each is written as one line of plain text
without importing rich, which saves ~50 ms a run in CI and pipes.

Writing never fails badly. Every write goes through `emit_text`, which
- falls back to ASCII symbols when the stream's encoding cannot carry ✔, ✘, · or →;
- treats a reader that has gone (`| head -1`, a broken pipe) as no error at all;
- ignores every failure on stderr, so closing stderr never changes an exit code;
- turns a failure on stdout (closed, full disk, any I/O error) into OutputError (exit 74),
  which the runner reports on stderr alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from cli.shared.errors import OutputError

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.text import Text

    from cli.shared.errors import AppError

Piece = str | tuple[str, str]
Line = list[Piece]


@dataclass(frozen=True)
class Hanging:
    """A line whose `body` wraps under itself on a terminal, after a `prefix` that does not
    (a hanging indent); elsewhere it is one line. A plain Line wraps too, its continuation
    lines two columns in from where it starts."""

    prefix: Line
    body: Line


Printable = Line | Hanging

# What each symbol becomes on a stream that cannot encode it (PYTHONIOENCODING=ascii, a
# latin-1 terminal).
ASCII_FALLBACK = str.maketrans({"✔": "+", "✘": "x", "·": "-", "→": "->", "…": "...", "—": "-"})


def _can_encode(text: str, stream: TextIO) -> bool:
    try:
        text.encode(stream.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _encodable(text: str, stream: TextIO) -> str:
    """`text` in a form the stream can write: symbols in ASCII, anything else replaced."""
    if _can_encode(text, stream):
        return text
    encoding = stream.encoding or "ascii"
    try:
        return text.translate(ASCII_FALLBACK).encode(encoding, errors="replace").decode(encoding)
    except LookupError:
        return text.translate(ASCII_FALLBACK).encode("ascii", errors="replace").decode("ascii")


def silence(stream: TextIO | None) -> None:
    """Point the stream's descriptor at /dev/null, so that later writes (and Python's own
    flush at exit) cannot fail again."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


OUTPUT_HINT = "Send stdout somewhere it can be written (a terminal, a pipe, a file on a disk with space)."


def _guarded(write: Callable[[TextIO], None], *, stderr: bool) -> None:
    """Run `write` on stdout or stderr with the guarantees in the module's docstring."""
    stream: TextIO | None = sys.stderr if stderr else sys.stdout
    if stream is None:  # the descriptor was closed before we started (`>&-`)
        if stderr:
            return
        raise OutputError("stdout is closed, so the output could not be written", OUTPUT_HINT)
    try:
        write(stream)
    except BrokenPipeError:
        silence(stream)  # the reader has gone: the rest is not an error
    except (OSError, ValueError) as error:  # ValueError: the stream object itself was closed
        silence(stream)
        if not stderr:
            reason = getattr(error, "strerror", None) or str(error)
            raise OutputError(f"the output could not be written to stdout: {reason}", OUTPUT_HINT) from None


def reserve_standard_descriptors() -> None:
    """Give a closed stdin, stdout or stderr (`>&-`) a /dev/null descriptor, so that no file
    or pipe opened later takes its number and receives what was meant for the terminal.
    sys.stdout stays None: writing the output then fails as it should (see emit_text)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def emit_text(text: str, *, stderr: bool = False) -> None:
    """Text as it is (help, a completion script), under the rules above."""

    def write(stream: TextIO) -> None:
        stream.write(_encodable(text, stream))
        stream.flush()

    _guarded(write, stderr=stderr)


def emit_bytes(data: bytes) -> None:
    """Relay bytes as they are (a child's output) to stdout, with the same guarantees."""

    def write(stream: TextIO) -> None:
        stream.buffer.write(data)
        stream.buffer.flush()

    _guarded(write, stderr=False)


def print_lines(lines: Sequence[Printable], *, stderr: bool = False) -> None:
    emit_text(lines_text(lines, stderr=stderr), stderr=stderr)


def lines_text(lines: Sequence[Printable], *, stderr: bool = False) -> str:
    """The lines as `print_lines` would write them to stdout (or stderr), as text."""
    stream: TextIO | None = sys.stderr if stderr else sys.stdout
    if stream is not None and _styled(stream):
        return _rendered(lines, stream)
    text = "".join(plain(line) + "\n" for line in lines)
    return _encodable(text, stream) if stream is not None else text


def is_terminal(stream: TextIO | None) -> bool:
    """Whether `stream` is a terminal (False for a closed or detached one)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def _styled(stream: TextIO) -> bool:
    """Whether lines on `stream` are rendered with rich: a terminal, or FORCE_COLOR asks."""
    return is_terminal(stream) or bool(os.environ.get("FORCE_COLOR"))


def _rendered(lines: Sequence[Printable], stream: TextIO) -> str:
    """The lines as rich would print them on `stream` (styles, width and colour support
    detected on the stream itself), captured so that emit_text does the writing."""
    console = terminal_console(stream)
    with console.capture() as capture:
        for line in lines:
            console.print(renderable(line, stream))
    return capture.get()


def terminal_console(stream: TextIO) -> Console:
    """A rich Console on `stream` (its width: the terminal's columns, or COLUMNS)."""
    from rich.console import Console

    return Console(file=stream, highlight=False)


def renderable(line: Printable, stream: TextIO) -> RenderableType:
    """What rich prints for a line: the line wrapped to the console's width by the rule of
    cli.shared.text (between words, with a hanging indent, no line ending in a space)."""
    return _Wrapped(line, stream)


class _Wrapped:
    """A line that wraps itself to the width rich offers it (cli.shared.text.wrap_line): a
    Hanging line's body continues under itself, a plain line two columns in from its start."""

    def __init__(self, line: Printable, stream: TextIO) -> None:
        self.line = line
        self.stream = stream

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        from rich.text import Text

        from cli.shared.text import wrap_line

        def text(pieces: Line) -> Text:
            return Text.assemble(*(_terminal_piece(piece, self.stream) for piece in pieces))

        prefix, body = (
            (self.line.prefix, self.line.body) if isinstance(self.line, Hanging) else ([], self.line)
        )
        before, after = text(prefix), text(body)
        whole = Text.assemble(before, after)
        for indent, start, end in wrap_line(before.plain, after.plain, options.max_width):
            shown = Text(" " * indent)
            shown.append_text(whole[start:end])
            shown.rstrip()
            yield shown


def _terminal_piece(piece: Piece, stream: TextIO) -> Piece:
    """A piece as a terminal shows it: encodable on the stream, a tab as a space (a tab's
    width depends on where it falls, so wrapping could not count it)."""
    if isinstance(piece, str):
        return _encodable(piece, stream).replace("\t", " ")
    return (_encodable(piece[0], stream).replace("\t", " "), piece[1])


def plain(line: Printable) -> str:
    """The line's text without styles."""
    pieces = [*line.prefix, *line.body] if isinstance(line, Hanging) else line
    return "".join(piece if isinstance(piece, str) else piece[0] for piece in pieces)


def emit_json(document: dict[str, Any]) -> None:
    """The only thing a --json run writes to stdout."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if sys.stdout is not None and not _can_encode(text, sys.stdout):
        text = json.dumps(document, indent=2)  # \u escapes: still the same JSON
    emit_text(text + "\n")


def error_document(command: str, error: AppError, *, debug: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message, "hint": error.hint}
    if debug and error.detail:
        body["detail"] = error.detail
    return {"command": command, "ok": False, "exit_code": int(error.exit_code), "error": body}


def render_warnings(warnings: Sequence[str]) -> None:
    """Warnings that come before a command's report, on stderr as errors are."""
    print_lines([Hanging([("warning: ", "bold yellow")], [warning]) for warning in warnings], stderr=True)


def error_lines(message: str, hint: str | None) -> list[Printable]:
    """An error as people read it: what is wrong, then what to do, each wrapping under itself."""
    lines: list[Printable] = [Hanging([("error: ", "bold red")], [message])]
    if hint:
        lines.append(Hanging([("hint: ", "bold")], [hint]))
    return lines


def render_error(error: AppError, *, debug: bool = False) -> None:
    lines = error_lines(error.message, error.hint)
    if debug and error.detail:
        lines.append([(error.detail, "dim")])
    print_lines(lines, stderr=True)
