"""The generated modules as ruff formats them: codegen writes plain one-line statements and
leaves the layout to the formatter, pinned in pyproject.toml, so that the files are the same
on every machine and `ruff format --check` agrees with them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from cli.shared.errors import ExitCode
from cli.shared.process import Bounded

# The project's own settings (pyproject.toml), given whole so that no configuration found
# around the project changes the output.
RUFF_FORMAT = ("format", "--isolated", "--no-cache", "--line-length", "110", "--target-version", "py311")


class FormatError(Exception):
    """The formatter is missing, failed or ran out of time: what happened, and what to do."""

    def __init__(self, message: str, hint: str, exit_code: int = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.hint, self.exit_code = hint, exit_code


INSTALL = "Run `make setup` (it installs the pinned ruff), then run the command again."


def ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError as error:
        raise FormatError(
            "ruff, which lays out the generated modules, is not installed", INSTALL, ExitCode.CONFIG
        ) from error
    try:
        return str(find_ruff_bin())
    except FileNotFoundError as error:
        raise FormatError(
            "the installed ruff package has no ruff binary", INSTALL, ExitCode.CONFIG
        ) from error


def format_sources(sources: dict[str, str], timeout: float) -> dict[str, str]:
    """Each module's text (by file name) as `ruff format` lays it out, in one ruff run."""
    binary = ruff_binary()
    with tempfile.TemporaryDirectory(prefix="app-codegen-") as folder:
        paths = {name: Path(folder) / name for name in sources}
        try:
            for name, path in paths.items():
                path.write_text(sources[name], encoding="utf-8")
        except OSError as error:  # a full or read-only temporary folder
            where = tempfile.gettempdir()
            raise FormatError(
                f"the generated modules could not be written to {where} for ruff: {error.strerror or error}",
                f"Free space in {where} (or set TMPDIR to a folder you can write to), then run it again.",
            ) from error
        done = Bounded(
            [binary, *RUFF_FORMAT, *map(str, paths.values())], cwd=Path(folder), timeout=timeout
        ).finish()
        if done.timed_out:
            raise FormatError(f"ruff format did not finish within {timeout:g} s", "Raise --timeout.")
        if done.returncode != 0:
            # The generated text does not parse: a fault of codegen's, shown as ruff says it.
            raise FormatError(
                f"ruff format could not format the generated code: {done.last_words()}",
                "This is a fault of codegen's: report it with the schema that gives it.",
            )
        return {name: path.read_text(encoding="utf-8") for name, path in paths.items()}
