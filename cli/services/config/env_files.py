""".env files read as the pinned Convex CLI reads them, with what it does silently as warnings.

convex 1.48.0 loads `.env.local`, then `.env`, with its bundled dotenv 16.6.1
(src/cli/lib/deploymentSelection.ts; see npm_dotenv). dotenv's `config` reads a file as UTF-8
with bad bytes replaced, and ignores one that is missing, a folder or unreadable without a word;
each value then goes through process.env, which cuts it at a NUL character. The same happens
here, but what the CLI ignores or guesses at becomes a SettingsWarning with the file and line.
Warnings name files, lines and keys, never values: a line may hold a secret.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cli.services.config import npm_dotenv

_HINTS: dict[npm_dotenv.NoteKind, str] = {
    "skipped": "Write it as NAME=value, or start it with # to make it a comment.",
    "joined": "Put the name, the = and the value on one line (an empty value is NAME=).",
    "swallowed": "Close the quote where the value ends: the value runs to the next matching quote.",
    "unclosed-quote": "Close the quote at the end of the value, and put any comment after a #.",
    "duplicate": "Keep one of the lines.",
    "dropped": "Rename it: dotenv cannot set __proto__.",
    "nul": "Remove the NUL character from the file.",
    "not-utf8": "Save the file as UTF-8.",
}


@dataclass(frozen=True)
class SettingsWarning:
    """Something about the settings the user should know; never holds a value."""

    file: str | None  # the file's name as the Convex CLI opens it; None: the process environment
    line: int | None
    message: str
    hint: str
    key: str | None = None  # the setting it is about, when it is about one
    # what kept the file from being read ("is a folder"), when that is what this says
    unread: str | None = None

    @property
    def where(self) -> str:
        """`.env.local line 3`, `.env.local` or `environment`."""
        if self.file is None:
            return "environment"
        return self.file if self.line is None else f"{self.file} line {self.line}"


@dataclass(frozen=True)
class EnvFile:
    name: str
    read: bool  # False when missing (no warning: the CLI says nothing) or unreadable (a warning)
    values: dict[str, str]  # as the Convex CLI ends up with them (process.env: cut at NUL)
    definitions: tuple[npm_dotenv.Definition, ...]  # every one, in file order
    warnings: tuple[SettingsWarning, ...] = ()

    def line_of(self, key: str) -> int | None:
        """The line of the name's definition that counts (the last), if the file has one."""
        # Asked for a few names only: a scan each costs less than a map of a long file's names.
        return next((d.line for d in reversed(self.definitions) if d.key == key), None)


def load_env_file(path: Path, name: str | None = None) -> EnvFile:
    """The file's settings and warnings; `name` is what messages call it (default: its name)."""
    name = name or path.name
    data, problem = _read_bytes(path, name)
    if data is None:
        return EnvFile(name, False, {}, (), () if problem is None else (problem,))
    parsed = npm_dotenv.read(data)
    values = parsed.values
    if any("\x00" in value for value in values.values()):  # process.env cuts a value at NUL
        values = {key: value.partition("\x00")[0] for key, value in values.items()}
    warnings = tuple(
        SettingsWarning(name, note.line, note.message, _HINTS[note.kind], note.key) for note in parsed.notes
    )
    return EnvFile(name, True, values, parsed.definitions, warnings)


def read_env_file(path: Path) -> dict[str, str] | None:
    """The settings of a .env file as the Convex CLI reads them; None when there is no file or
    it cannot be read (the CLI ignores it then). Never raises for the file's content."""
    loaded = load_env_file(path)
    return loaded.values if loaded.read else None


def _read_bytes(path: Path, name: str) -> tuple[bytes | None, SettingsWarning | None]:
    """The file's bytes, or None and why not (None too when it does not exist: said nowhere)."""
    ignored = "; the Convex CLI ignores it, and so does this app"
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(path):  # dotenv's readFileSync fails with ENOENT, which config() ignores
            return None, _not_read(name, "is a link to a file that does not exist", ignored, _fix_link(path))
        return None, None
    except OSError as error:
        return None, _unreadable(path, name, error)
    if stat.S_ISDIR(mode):
        return None, _not_read(
            name,
            "is a folder, not a file of settings",
            ignored,
            f"Remove the folder {path}, or make it a file of NAME=value lines.",
        )
    if not stat.S_ISREG(mode):  # a pipe could block the read for ever
        return None, _not_read(
            name,
            "is not a regular file (a pipe, socket or device)",
            ", so it is not read",
            f"Make {path} a file of NAME=value lines.",
        )
    try:
        return path.read_bytes(), None
    except OSError as error:
        return None, _unreadable(path, name, error)


def _not_read(name: str, why: str, consequence: str, hint: str) -> SettingsWarning:
    return SettingsWarning(name, None, f"{name} {why}{consequence}", hint, unread=why)


def _unreadable(path: Path, name: str, error: OSError) -> SettingsWarning:
    why = (error.strerror or type(error).__name__).lower()
    return _not_read(
        name,
        f"cannot be read ({why})",
        "; the Convex CLI ignores it, and so does this app",
        f"Make {path} readable, or remove it.",
    )


def _fix_link(path: Path) -> str:
    return f"Point the link {path} at an existing file, or remove it."
