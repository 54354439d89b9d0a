"""Project copies whose `convex` CLI is the stand-in (standin_convex.py), and reading what it
logged."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.support.project import REPO, app_env, copy_project


def copy_project_with_standin_cli(dest: Path) -> Path:
    """A project copy whose node_modules is the real one except `.bin/convex`, a stand-in."""
    copy_project(dest, node_modules=False)
    modules = dest / "node_modules"
    modules.mkdir()
    real = REPO / "node_modules"
    for entry in real.iterdir():
        if entry.name != ".bin":
            (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    bin_dir = modules / ".bin"
    bin_dir.mkdir()
    for entry in (real / ".bin").iterdir():
        if entry.name != "convex":
            (bin_dir / entry.name).symlink_to(entry.resolve())
    # A launcher, so that it starts with this Python, isolated (-I) and without site (-S).
    standin = bin_dir / "convex"
    program = Path(__file__).with_name("standin_convex.py")
    standin.write_text(f'#!/bin/sh\nexec "{sys.executable}" -IS "{program}" "$@"\n', encoding="utf-8")
    standin.chmod(0o755)
    return dest


def standin_env(project: Path, **extra: str) -> dict[str, str]:
    return app_env(HOME=str(project.parent / "home"), STANDIN_LOG=str(project / "standin.log"), **extra)


def standin_log(project: Path) -> list[str]:
    path = project / "standin.log"
    return path.read_text().splitlines() if path.exists() else []


def wait_until_ready(project: Path, timeout: float = 20) -> None:
    """The stand-in logs "ready" once its signal handlers are in place."""
    deadline = time.monotonic() + timeout
    while "ready" not in standin_log(project):
        assert time.monotonic() < deadline, f"the stand-in never got ready: {standin_log(project)}"
        time.sleep(0.02)


def grandchild_pid(project: Path) -> int:
    line = next(line for line in standin_log(project) if line.startswith("grandchild "))
    return int(line.split()[1])
