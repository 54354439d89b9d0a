"""Options and help text every command shares: --json, --debug, --timeout, Examples."""

from __future__ import annotations

import math
from typing import Annotated, Any

import typer

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show details (never keys) and tracebacks.")]


def finite(value: float | None) -> float | None:
    """Typer's range check lets NaN through (every comparison with it is false)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter("must be a number of seconds")
    return value


def timeout_option(help: str, *, low: float = 0.1, high: float | None = 3600, name: str = "--timeout") -> Any:
    """`--timeout SECONDS` (or another `name`): a finite number of seconds within the command's range."""
    return typer.Option(name, min=low, max=high, callback=finite, metavar="SECONDS", help=help)


class Examples(str):
    """A help's Examples section: the text Typer would show, and the pairs it is made of, so
    that help can lay them out for the terminal's width (cli.commands.help)."""

    pairs: tuple[tuple[str, str], ...] = ()


def examples(*lines: tuple[str, str]) -> Examples:
    """An Examples section for a command's help: each invocation with what it does, one per
    line (Typer's help joins the lines of a paragraph, so each is a paragraph of its own)."""
    width = max(len(command) for command, _ in lines)
    section = Examples(
        "Examples:\n\n" + "\n\n".join(f"$ {command.ljust(width)}  # {what}" for command, what in lines)
    )
    section.pairs = lines
    return section


def examples_lines(pairs: tuple[tuple[str, str], ...], width: int) -> list[str]:
    """The Examples section in lines of `width` columns, as help's other sections are laid
    out: what each does wraps under itself, or, where the commands leave it too little room,
    comes on the lines below its command."""
    from cli.commands.help import wrap_under
    from cli.shared.text import MIN_BODY

    wide = max(len(command) for command, _ in pairs)
    beside = width - len(f"  $ {'x' * wide}  # ") >= MIN_BODY
    lines = ["Examples:"]
    for command, what in pairs:
        if beside:
            lines += wrap_under(f"  $ {command.ljust(wide)}  # ", what, width)
        else:
            lines += [*wrap_under("  $ ", command, width), *wrap_under("    # ", what, width)]
    return lines
