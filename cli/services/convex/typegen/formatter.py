"""The generated modules as ruff formats them: codegen writes plain one-line statements and
leaves the layout to the formatter, pinned in pyproject.toml, so that the files are the same
on every machine and `ruff format --check` agrees with them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from cli.shared.process import Bounded

# The project's own settings (pyproject.toml), given whole so that no configuration found
# around the project changes the output.
RUFF_FORMAT = ("format", "--isolated", "--no-cache", "--line-length", "110", "--target-version", "py311")


class FormatError(Exception):
    """The formatter is missing, failed or ran out of time; the message says which."""


def ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError as error:
        raise FormatError("ruff is not installed: run `make setup` (or pip install -e .)") from error
    try:
        return str(find_ruff_bin())
    except FileNotFoundError as error:
        raise FormatError("the ruff package has no binary: run `make setup` again") from error


def format_sources(sources: dict[str, str], timeout: float) -> dict[str, str]:
    """Each module's text (by file name) as `ruff format` lays it out, in one ruff run."""
    binary = ruff_binary()
    with tempfile.TemporaryDirectory(prefix="app-codegen-") as folder:
        paths = {name: Path(folder) / name for name in sources}
        for name, path in paths.items():
            path.write_text(sources[name], encoding="utf-8")
        done = Bounded(
            [binary, *RUFF_FORMAT, *map(str, paths.values())], cwd=Path(folder), timeout=timeout
        ).finish()
        if done.timed_out:
            raise FormatError(f"ruff format did not finish within {timeout:g} s")
        if done.returncode != 0:
            # The generated text does not parse: a fault of codegen's, shown as ruff says it.
            raise FormatError(f"ruff format could not format the generated code: {done.last_words()}")
        return {name: path.read_text(encoding="utf-8") for name, path in paths.items()}
