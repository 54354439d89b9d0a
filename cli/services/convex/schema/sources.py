"""Which files a schema is made of, for what watches them and what caches their evaluation."""

from __future__ import annotations

from pathlib import Path

from cli.services.project import Project


def outside_files(project: Project, inputs: tuple[str, ...]) -> list[str]:
    """Files the schema's bundle read from outside the functions folder and node_modules/
    (esbuild's metafile inputs, relative to the project; `ns:path` ones are not files)."""
    prefix = project.file("")  # "" when the functions folder is the project itself
    return sorted(
        name
        for name in inputs
        if not name.startswith(prefix) and "node_modules/" not in name and ":" not in name
    )


def not_pushed(path: Path) -> bool:
    """What no push is made of: generated code, dependencies, dotfiles and editors' files."""
    name = path.name
    return (
        name in ("_generated", "node_modules")
        or name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
    )


def shown_paths(project: Project, paths: set[Path]) -> list[str]:
    """Changed paths as a person reads them: relative to the project where they are in it."""
    root = project.root
    return sorted(p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p) for p in paths)
