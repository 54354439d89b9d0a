"""Settings, each with where it came from: flag > process environment > .env.local > .env.

The .env files are read with python-dotenv (see env_files) without touching os.environ, so
the real environment always wins. Deploy and admin keys are held as `Secret`, whose repr, str
and JSON never show the value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cli.services.config.env_files import read_env_file
from cli.services.config.variables import SECRET_NAMES

ENV_FILES = (".env.local", ".env")


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
        self._files: list[tuple[str, dict[str, str | None]]] | None = None

    @classmethod
    def for_cwd(cls, *, flags: Mapping[str, tuple[str, str | None]] | None = None) -> Settings:
        """Settings of the project around the working directory (or of the directory itself)."""
        from cli.services.project import find_project_root

        cwd = Path.cwd()
        return cls(find_project_root(cwd) or cwd.resolve(), flags=flags)

    def _file_values(self) -> list[tuple[str, dict[str, str | None]]]:
        if self._files is None:
            read = [(name, read_env_file(self.root / name)) for name in ENV_FILES]
            self._files = [(name, values) for name, values in read if values is not None]
        return self._files

    def get(self, name: str) -> Setting | None:
        """The first non-empty value in precedence order, or None."""
        flag = self._flags.get(name)
        if flag is not None and flag[1] is not None:
            return self._setting(name, flag[1], flag[0])
        value = self._environ.get(name)
        if value:
            return self._setting(name, value, "environment")
        for source, values in self._file_values():
            found = values.get(name)
            if found:
                return self._setting(name, found, source)
        return None

    @staticmethod
    def _setting(name: str, value: str, source: str) -> Setting:
        return Setting(name, Secret(value) if name in SECRET_NAMES else value, source)
