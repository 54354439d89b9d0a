"""Where the project is: the folder with convex/ or package.json, at or above the cwd."""

from __future__ import annotations

from pathlib import Path

from cli.shared.errors import ConfigError


def find_project_root(start: Path) -> Path | None:
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "convex").is_dir() or (candidate / "package.json").is_file():
            return candidate
    return None


def require_project_root(start: Path) -> Path:
    root = find_project_root(start)
    if root is None:
        raise ConfigError(
            f"no Convex project in {start.resolve()} or any folder above it",
            "Run it from the project (the folder with convex/ and package.json).",
        )
    return root
