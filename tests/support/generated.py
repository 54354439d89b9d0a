"""Generated model modules under test: imported as files, and judged by ruff and mypy --strict
as the project judges its own models (one run of each for many modules)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.support.project import REPO

MODELS = Path("cli/services/convex/models")
BIN = Path(sys.executable).parent


def import_file(path: Path) -> ModuleType:
    """The module at `path`, imported under its file's name."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_modules(folder: Path, sources: dict[str, str]) -> list[Path]:
    """Each source as folder/cli/services/convex/models/<name>.py, beside the project's ruff
    settings, so that ruff judges it as one of the project's models."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", folder / "pyproject.toml")
    (folder / MODELS).mkdir(parents=True, exist_ok=True)
    paths = []
    for name, source in sources.items():
        path = folder / MODELS / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    return paths


def ruff_problems(folder: Path, paths: Sequence[Path]) -> str:
    """What `ruff format --check` and `ruff check` say of the files; empty when both are content."""
    said = ""
    for argv in (
        [str(BIN / "ruff"), "format", "--check", "--diff", *map(str, paths)],
        [str(BIN / "ruff"), "check", "--no-cache", *map(str, paths)],
    ):
        done = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=120)
        said += "" if done.returncode == 0 else done.stdout + done.stderr
    return said


def mypy_errors(paths: Sequence[Path], *, cwd: Path = REPO) -> dict[str, list[str]]:
    """mypy --strict's errors, by file name (without .py), in one run for every file."""
    argv = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, paths)]
    env = {**os.environ, "MYPYPATH": str(REPO)}
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2: mypy could not run
    errors: dict[str, list[str]] = {path.stem: [] for path in paths}
    for line in done.stdout.splitlines():
        file, _, rest = line.partition(":")
        if ": error:" in rest:
            errors.setdefault(Path(file).stem, []).append(rest)
    return errors


def plain(value: Any) -> Any:
    """A value as the backend holds it, to compare what encoding sends with what was parsed:
    ConvexInt64 as its int (numbers then compare by value)."""
    if type(value).__name__ == "ConvexInt64":
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
