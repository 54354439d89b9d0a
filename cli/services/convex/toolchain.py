"""The toolchain gate: node, and the pinned `convex` package at a version that fits, asked the
same way by every command that needs Node (check, dev, codegen); and the Node helpers the app
ships as package data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cli.services.project import Project
from cli.shared.errors import ToolchainError

if TYPE_CHECKING:
    from contextlib import ExitStack

# The oldest `convex` the app supports, and the one it is built and tested with: the newest
# whose CLI runs on Node 20 (1.49 needs Node 22).
MIN_CONVEX_VERSION = (1, 25, 0)
RECOMMENDED_CONVEX = "1.48.0"
EXACT_VERSION = re.compile(r"\d+\.\d+\.\d+")

SETUP_HINT = "Run `make setup` (it creates .venv and runs `npm ci` from package-lock.json)."


def parse_version(text: str) -> tuple[int, int, int] | None:
    match = re.match(r"^\s*v?(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return (major, minor, patch)


def format_version(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def node_satisfies(node_version: str, engines_node: str | None) -> bool:
    """Whether node meets a package's `engines.node`; only `>=X[.Y[.Z]]` ranges are used here."""
    have = parse_version(node_version)
    if have is None:
        return False
    if not engines_node:
        return True
    match = re.fullmatch(r"\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*", engines_node)
    if not match:
        return True  # a range we do not model; the CLI itself will say if it refuses
    need = tuple(int(part or 0) for part in match.groups())
    return have >= need


def helper_script(package: str, name: str) -> str:
    """The path of a Node helper shipped as package data of `package` (pyproject.toml),
    wherever it is installed; imported here, when Node is about to start, to keep start-up light."""
    import atexit
    from contextlib import ExitStack
    from importlib.resources import as_file, files

    global _extracted
    if _extracted is None:  # only a zipped install extracts; a folder's files are used as they are
        _extracted = ExitStack()
        atexit.register(_extracted.close)
    return str(_extracted.enter_context(as_file(files(package) / name)))


_extracted: ExitStack | None = None


def probe_node_version(node: str, timeout: float = 5.0) -> str | None:
    """What `node --version` says, when it answers as Node does (`v20.20.2`); else None."""
    from cli.shared.process import Bounded

    done = Bounded([node, "--version"], cwd=Path.cwd(), timeout=timeout).finish()
    answer = done.stdout.strip()
    if done.returncode == 0 and re.fullmatch(r"v\d+\.\d+\.\d+\S*", answer):
        return answer.removeprefix("v")
    return None


def pin_hint(version: str) -> str:
    return f'Pin it exactly in package.json\'s dependencies ("convex": "{version}"), then run `make setup`.'


def _package_json_problem(project: Project, installed: str | None) -> ToolchainError | None:
    """package.json must exist, parse, and pin convex to exactly the installed version."""
    package = project.package_json
    wanted = installed if installed and parse_version(installed) else RECOMMENDED_CONVEX
    if package.problem == "missing":
        return ToolchainError(f"package.json is missing in {project.root}", pin_hint(wanted))
    if package.problem is not None:
        return ToolchainError(
            f"package.json cannot be used: {package.problem}",
            f"Fix package.json so that it is valid JSON, then run `make setup`. {pin_hint(wanted)}",
        )
    pin = package.dependency("convex")
    if pin is None:
        return ToolchainError("package.json does not list convex in its dependencies", pin_hint(wanted))
    if not EXACT_VERSION.fullmatch(pin):
        return ToolchainError(
            f"package.json asks for convex {pin!r}, a range rather than one exact version", pin_hint(wanted)
        )
    if installed is not None and pin != installed:
        return ToolchainError(
            f"convex {installed} is installed but package.json pins {pin}",
            pin_hint(installed),
        )
    return None


def toolchain_problem(project: Project, node_version: str | None) -> ToolchainError | None:
    """What keeps node and the pinned convex package from working here, or None.

    `node_version` is what node said of itself (see probe_node_version); None when it did
    not answer as Node.
    """
    node, convex = project.node, project.convex
    if node is None:
        return ToolchainError(
            "node is not on PATH", "Install Node.js 20 or newer (https://nodejs.org), then run `make setup`."
        )
    if node_version is None:
        return ToolchainError(
            f"{node} does not answer `node --version` as Node.js does",
            "Put Node.js 20 or newer first on PATH (https://nodejs.org), then run `make setup`.",
        )
    problem = _package_json_problem(project, convex.version)
    if problem is not None:
        return problem
    if convex.version is None:
        return ToolchainError("node_modules/convex is not installed", SETUP_HINT)
    installed = parse_version(convex.version)
    if installed is None or installed < MIN_CONVEX_VERSION:
        minimum = format_version(MIN_CONVEX_VERSION)
        return ToolchainError(
            f"convex {convex.version} is installed; {minimum} or newer is needed",
            pin_hint(RECOMMENDED_CONVEX),
        )
    if not node_satisfies(node_version, convex.engines_node):
        return ToolchainError(
            f"node {node_version} is too old for convex {convex.version} (it needs {convex.engines_node})",
            "Install a Node.js version the pinned convex accepts, then run `make setup`.",
        )
    return None


@dataclass(frozen=True)
class Toolchain:
    """A node that answers as Node does, and the pinned convex package it can run."""

    node: str
    node_version: str
    convex_version: str


def require_toolchain(project: Project, node_version: str | None = None) -> Toolchain:
    """The gate for commands that cannot go on without Node: the toolchain, or ToolchainError
    (exit 3) with the fix. `node_version`: what node already said of itself, if asked."""
    if node_version is None and project.node is not None:
        node_version = probe_node_version(project.node)
    problem = toolchain_problem(project, node_version)
    if problem is not None:
        raise problem
    assert project.node is not None and node_version is not None and project.convex.version is not None
    return Toolchain(project.node, node_version, project.convex.version)
