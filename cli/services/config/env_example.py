"""Whether .env.example documents the variables the project reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cli.services.config.variables import VARIABLES, Variable

ENV_EXAMPLE = ".env.example"


@dataclass(frozen=True)
class EnvExampleGap:
    variable: Variable
    missing: bool  # not assigned at all; otherwise assigned without a comment above it
    line: int | None = None


def documented_gaps(path: Path) -> list[EnvExampleGap]:
    """Variables that .env.example lacks, or lists without a comment saying who sets them."""
    from dotenv.parser import parse_stream  # python-dotenv's own parser: the format is theirs

    with path.open(encoding="utf-8") as stream:
        bindings = list(parse_stream(stream))
    documented: dict[str, bool] = {}
    lines: dict[str, int] = {}
    previous = None
    for binding in bindings:
        if binding.key is not None:
            text = binding.original.string
            commented = (
                previous is not None
                and previous.key is None
                and previous.original.string.lstrip().startswith("#")
                and not text.startswith(("\n", "\r"))  # a blank line separates it from the comment
            )
            documented[binding.key] = documented.get(binding.key, False) or commented
            blank = len(text) - len(text.lstrip("\r\n"))  # blank lines the parser put before it
            lines.setdefault(binding.key, binding.original.line + text[:blank].count("\n"))
        previous = binding
    gaps = []
    for variable in VARIABLES:
        if variable.name not in documented:
            gaps.append(EnvExampleGap(variable, missing=True))
        elif not documented[variable.name]:
            gaps.append(EnvExampleGap(variable, missing=False, line=lines[variable.name]))
    return gaps
