"""Settings, each with where it came from: flag > process environment > .env.local > .env.

The rules are the pinned Convex CLI's (convex 1.48.0 src/cli/lib/deploymentSelection.ts:
`dotenv.config({path: ".env.local"}); dotenv.config();`, then "" counts as unset): the first
place that sets a name decides, even when it sets it to "" — an empty variable in the
environment hides both files, an empty `NAME=` in .env.local hides .env. Files are read once
(see env_files), never into os.environ. Deploy and admin keys are held as `Secret`, whose repr,
str and JSON never show the value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from cli.services.config.env_files import EnvFile, SettingsWarning, load_env_file
from cli.services.config.variables import SECRET_NAMES, VARIABLES

__all__ = ["ENV_FILES", "Secret", "Setting", "Settings", "SettingsWarning"]

ENV_FILES = (".env.local", ".env")
# Settings whose value in a file, hidden by another in the environment, is worth a warning: the
# deployment's URL, which `convex dev` writes to .env.local and ping and the client read.
SHADOW_WARNED = ("CONVEX_URL",)
SHOWN_WARNINGS = 10  # a file of thousands of bad lines is said in a few lines
# `${NAME}` (and dotenv-expand's `${NAME:-default}`): text that tools built on dotenv-expand would
# replace, but the Convex CLI's plain dotenv.parse keeps as it is.
_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+=?][^}]*)?\}")


class Secret:
    """A value that must never be printed, logged or serialised."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | Secret
    source: str  # "--url", "environment", ".env.local" or ".env"

    @property
    def text(self) -> str:
        """The value, for use (never for display when it is a Secret)."""
        return self.value.reveal() if isinstance(self.value, Secret) else self.value

    def describe(self) -> str:
        return f"{self.name} from {self.source}"

    @property
    def from_flag(self) -> bool:
        """Whether a command-line flag gave it (its source is the flag's spelling)."""
        return self.source.startswith("-")

    @property
    def named(self) -> str:
        """What the user would change to change it: the flag they passed, else the variable."""
        return self.source if self.from_flag else self.name


class _Place(NamedTuple):
    source: str
    value: str
    line: int | None


class Settings:
    """Resolves variables for one project folder; .env files are read once, lazily."""

    def __init__(
        self,
        root: Path,
        *,
        flags: Mapping[str, tuple[str, str | None]] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.root = root
        # name -> (flag spelling, value or None when the flag was not given)
        self._flags = dict(flags or {})
        self._environ = environ if environ is not None else os.environ
        self._files: tuple[EnvFile, ...] | None = None

    @classmethod
    def for_cwd(cls, *, flags: Mapping[str, tuple[str, str | None]] | None = None) -> Settings:
        """Settings of the project around the working directory (or of the directory itself)."""
        from cli.services.project import find_project_root

        cwd = Path.cwd()
        return cls(find_project_root(cwd) or cwd.resolve(), flags=flags)

    def _env_files(self) -> tuple[EnvFile, ...]:
        if self._files is None:
            self._files = tuple(load_env_file(self.root / name) for name in ENV_FILES)
        return self._files

    def get(self, name: str, *, flags: bool = True) -> Setting | None:
        """The value the Convex CLI would use, or None when it would see none (unset or "");
        with `flags` off, the value of the environment and files alone (what a flag overrode)."""
        flag = self._flag(name) if flags else None
        if flag is not None:
            return self._setting(name, flag[1], flag[0])
        places = self._places(name)
        if not places or not places[0].value:
            return None
        return self._setting(name, places[0].value, places[0].source)

    def warnings(self) -> list[SettingsWarning]:
        """What the user should know about these settings: each file's problems, in the order
        the CLI reads the files, then empty values that hide another place's value."""
        found = [warning for env_file in self._env_files() for warning in env_file.warnings]
        found += self._vault_warnings()
        found += [warning for v in VARIABLES if (warning := self._hidden(v.name)) is not None]
        found += [warning for name in SHADOW_WARNED if (warning := self._shadowed(name)) is not None]
        found += [warning for v in VARIABLES if (warning := self._unexpanded(v.name)) is not None]
        return found

    def warning_lines(self, said_elsewhere: Collection[SettingsWarning] = ()) -> list[str]:
        """The warnings as lines to show: a file of thousands of bad lines is said in a few.
        `said_elsewhere`: warnings an error already says, left out so that nothing is said twice."""
        found = [w for w in self.warnings() if w not in said_elsewhere]
        said = [_said(w) for w in found[:SHOWN_WARNINGS]]
        if len(found) > SHOWN_WARNINGS:
            files = sorted({w.file or "the environment" for w in found[SHOWN_WARNINGS:]})
            said.append(f"{len(found) - SHOWN_WARNINGS} more like these in {', '.join(files)}")
        return said

    def unread_files(self) -> list[SettingsWarning]:
        """The warnings of settings files that are there but were not read (a folder, a link to
        nothing, no permission): the Convex CLI ignores them, so what they hold is not in force."""
        return [w for env_file in self._env_files() for w in env_file.warnings if w.unread is not None]

    def shadowed(self, name: str, value: str) -> bool:
        """Whether the environment sets `name` to something other than `value` (what a file
        holds): the environment wins, so the file's value is not what the CLI and ping use."""
        if self._flag(name) is not None:
            return False
        current = self._environ.get(name)
        return bool(current) and current != value

    def _flag(self, name: str) -> tuple[str, str] | None:
        """(spelling, value) of the name's flag when it was given."""
        flag = self._flags.get(name)
        return (flag[0], flag[1]) if flag is not None and flag[1] is not None else None

    def _places(self, name: str) -> list[_Place]:
        """Every place that sets the name (even to ""), in the order the CLI looks."""
        places = [_Place("environment", self._environ[name], None)] if name in self._environ else []
        for env_file in self._env_files():
            if name in env_file.values:
                places.append(_Place(env_file.name, env_file.values[name], env_file.line_of(name)))
        return places

    def _hidden(self, name: str) -> SettingsWarning | None:
        """A warning when an empty value, which the CLI takes as unset, hides a value after it."""
        places = self._places(name)
        if self._flag(name) is not None or not places or places[0].value:
            return None
        empty = places[0]
        hidden = next((place for place in places[1:] if place.value), None)
        if hidden is None:
            return None
        if empty.source == "environment":
            return SettingsWarning(
                None,
                None,
                f"{name} is set but empty in the environment, which hides its value in "
                f"{hidden.source}: the Convex CLI takes it as unset",
                f"Unset it (`unset {name}`) to use the value in {hidden.source}, or give it a value.",
                name,
            )
        return SettingsWarning(
            empty.source,
            empty.line,
            f"{name}= is empty, which hides its value in {hidden.source}: the Convex CLI takes it as unset",
            f"Remove the line to use the value in {hidden.source}, or give it a value here.",
            name,
        )

    def _shadowed(self, name: str) -> SettingsWarning | None:
        """A warning when the environment's value hides a different one in the file that would
        be in force without it (`app convex dev` writes CONVEX_URL there, and says nothing)."""
        places = self._places(name)
        if self._flag(name) is not None or len(places) < 2 or places[0].source != "environment":
            return None
        hidden = places[1]  # the file the CLI would take it from (an empty value hides the rest)
        if not places[0].value or not hidden.value or hidden.value == places[0].value:
            return None
        return SettingsWarning(
            hidden.source,
            hidden.line,
            f"{name} here is hidden by a different {name} in the environment, which `app convex ping` "
            "and the app's client use instead",
            f"Unset it in the environment (`unset {name}`) to use this one, or remove this line.",
            name,
        )

    def _unexpanded(self, name: str) -> SettingsWarning | None:
        """A warning when the value in force, from a file, refers to another variable: the CLI
        uses the text as it is (the environment's values come expanded by the shell)."""
        if self._flag(name) is not None:
            return None
        places = self._places(name)
        place = places[0] if places else None  # the first place decides, even when empty
        if place is None or not place.value or place.source == "environment":
            return None
        found = _REFERENCE.search(place.value)
        if found is None:
            return None
        return SettingsWarning(
            place.source,
            place.line,
            f"{name} refers to {found.group()}, which the Convex CLI does not expand (dotenv reads "
            f".env files as they are): it uses the text as written",
            f"Write the value itself in place of {found.group()}.",
            name,
        )

    def _vault_warnings(self) -> list[SettingsWarning]:
        """dotenv reads NAME.vault instead of NAME when DOTENV_KEY is set and the vault exists;
        its encrypted values are not read here."""
        if not self._environ.get("DOTENV_KEY"):
            return []
        return [
            SettingsWarning(
                name,
                None,
                f"DOTENV_KEY is set, so the Convex CLI reads {name}.vault instead of {name}; "
                f"this app reads {name} and may see other values",
                f"Unset DOTENV_KEY, or remove {self.root / (name + '.vault')} if it is not in use.",
            )
            for name in ENV_FILES
            if (self.root / f"{name}.vault").exists()
        ]

    @staticmethod
    def _setting(name: str, value: str, source: str) -> Setting:
        return Setting(name, Secret(value) if name in SECRET_NAMES else value, source)


def _said(warning: SettingsWarning) -> str:
    """The warning as one line: where, what, what to do (a file that is the subject of its
    message is named once: `.env is a folder`, not `.env: .env is a folder`)."""
    where = "" if warning.message.startswith(f"{warning.where} ") else f"{warning.where}: "
    return f"{where}{warning.message}. {warning.hint}"
