"""Whether .env.example documents the variables the project reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cli.services.config import npm_dotenv
from cli.services.config.variables import VARIABLES, Variable

ENV_EXAMPLE = ".env.example"


@dataclass(frozen=True)
class EnvExampleGap:
    variable: Variable
    missing: bool  # not assigned at all; otherwise assigned without a comment above it
    line: int | None = None


def documented_gaps(path: Path) -> list[EnvExampleGap]:
    """Variables that .env.example lacks, or lists without a comment saying who sets it (a `#`
    line right above). Read as the Convex CLI reads .env files (npm_dotenv), so a name counts
    only where dotenv would set it. OSError or UnicodeDecodeError when it cannot be read."""
    text = path.read_bytes().decode("utf-8")
    lines = npm_dotenv.split_lines(text)
    documented: dict[str, bool] = {}
    first_line: dict[str, int] = {}
    for definition in npm_dotenv.parse_with_notes(text).definitions:
        commented = (
            definition.line > 1 and lines[definition.line - 2].lstrip(npm_dotenv.JS_WHITESPACE)[:1] == "#"
        )
        documented[definition.key] = documented.get(definition.key) or commented
        first_line.setdefault(definition.key, definition.line)
    gaps = []
    for variable in VARIABLES:
        if variable.name not in documented:
            gaps.append(EnvExampleGap(variable, missing=True))
        elif not documented[variable.name]:
            gaps.append(EnvExampleGap(variable, missing=False, line=first_line[variable.name]))
    return gaps
