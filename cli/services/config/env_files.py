""".env files read with python-dotenv, every problem named with its file and line.

python-dotenv's public `dotenv_values` only logs a warning for a line it cannot parse and
goes on without it (a `.env.local` with an unterminated quote silently loses CONVEX_URL).
So each file is first parsed with `dotenv.parser.parse_stream`, the parser `dotenv_values`
itself runs, to find such lines; pyproject.toml pins python-dotenv to the 1.x releases
whose parser yields `Binding(key, value, original, error)`. Messages never repeat a value:
the line may hold a key.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from cli.shared.errors import ConfigError


def _hint(path: Path) -> str:
    return f"Fix {path}: one NAME=value per line, quotes closed, # for comments."


def _read_text(path: Path) -> str | None:
    """The file's text; None when it does not exist; ConfigError when it cannot be read."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"{path.name} cannot be read: {error.strerror}", _hint(path)) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise ConfigError(
            f"{path.name} is {kind}, so its settings cannot be read", f"Make {path} a text file."
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path.name} line {line}: not UTF-8 text", _hint(path)) from None
    except OSError as error:
        raise ConfigError(f"{path.name} cannot be read: {error.strerror}", _hint(path)) from None


def _what_is_wrong(statement: str) -> str:
    """Why a statement does not parse, without repeating its value."""
    first = statement.strip().splitlines()[0] if statement.strip() else ""
    name, equals, value = first.partition("=")
    name = name.strip().removeprefix("export ").strip()
    if not equals:
        return "it is not NAME=value"
    value = value.strip()
    if value[:1] in ("'", '"') and value.count(value[0]) == 1:
        return f"the quoted value of {name} is never closed"
    return f"the value of {name} cannot be parsed" if name.isidentifier() else "it is not NAME=value"


def read_env_file(path: Path) -> dict[str, str | None] | None:
    """The variables of a .env file; None when there is no such file. ConfigError (exit 3),
    naming the file and line, when it cannot be read or parsed."""
    from dotenv import dotenv_values
    from dotenv.parser import parse_stream

    text = _read_text(path)
    if text is None:
        return None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            what = _what_is_wrong(binding.original.string)
            raise ConfigError(f"{path.name} line {binding.original.line}: {what}", _hint(path))
    return dict(dotenv_values(stream=io.StringIO(text)))
