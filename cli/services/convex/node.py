"""Finding node and the project's npm packages, and the commands that run them."""

from __future__ import annotations

import json
import platform
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from cli.shared.errors import ToolchainError

# The oldest `convex` the story accepts (AC#1).
MIN_CONVEX_VERSION = (1, 25, 0)

HELPERS = Path(__file__).parent
SETUP_HINT = "Run `make setup` (it creates .venv and runs `npm ci` from package-lock.json)."


def parse_version(text: str) -> tuple[int, int, int] | None:
    match = re.match(r"^\s*v?(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return (major, minor, patch)


def format_version(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def find_node() -> str | None:
    return shutil.which("node")


def read_package_json(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class InstalledPackage:
    name: str
    version: str | None  # None when not installed
    engines_node: str | None = None


def installed_package(root: Path, name: str) -> InstalledPackage:
    data = read_package_json(root / "node_modules" / name / "package.json")
    if data is None:
        return InstalledPackage(name, None)
    engines = data.get("engines")
    engines_node = engines.get("node") if isinstance(engines, dict) else None
    version = data.get("version")
    return InstalledPackage(
        name,
        version if isinstance(version, str) else None,
        engines_node if isinstance(engines_node, str) else None,
    )


def pinned_version(root: Path, name: str) -> str | None:
    """The version package.json asks for, from dependencies or devDependencies."""
    data = read_package_json(root / "package.json")
    if data is None:
        return None
    for section in ("dependencies", "devDependencies"):
        deps = data.get(section)
        if isinstance(deps, dict) and isinstance(deps.get(name), str):
            return str(deps[name])
    return None


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


def _node_platform() -> tuple[str, str]:
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return system, arch


def tsc_command(root: Path, node: str) -> list[str] | None:
    """The project's TypeScript compiler, or None when typescript is not installed.

    TypeScript 7 ships a native `tsc` in a per-platform package; its `bin/tsc` only
    locates and runs it, so calling the binary directly saves a Node start-up.
    """
    system, arch = _node_platform()
    native = root / "node_modules" / "@typescript" / f"typescript-{system}-{arch}" / "lib" / "tsc"
    if native.is_file():
        return [str(native)]
    script = root / "node_modules" / "typescript" / "bin" / "tsc"
    if script.is_file():
        return [node, str(script)]
    return None


def helper_script(name: str) -> str:
    return str(HELPERS / name)


def toolchain_problem(
    root: Path, node: str | None, convex: InstalledPackage, node_version: str | None = None
) -> ToolchainError | None:
    """What keeps node and the pinned convex package from working here, or None.

    `node_version` is checked against convex's `engines.node` when it is known.
    """
    if node is None:
        return ToolchainError(
            "node is not on PATH", "Install Node.js 20 or newer (https://nodejs.org), then run `make setup`."
        )
    if convex.version is None:
        return ToolchainError("node_modules/convex is not installed", SETUP_HINT)
    installed = parse_version(convex.version)
    if installed is None or installed < MIN_CONVEX_VERSION:
        minimum = format_version(MIN_CONVEX_VERSION)
        return ToolchainError(
            f"convex {convex.version} is installed; {minimum} or newer is needed", SETUP_HINT
        )
    pin = pinned_version(root, "convex")
    if pin is not None and pin != convex.version:
        return ToolchainError(f"convex {convex.version} is installed but package.json pins {pin}", SETUP_HINT)
    if node_version and not node_satisfies(node_version, convex.engines_node):
        return ToolchainError(
            f"node {node_version} is too old for convex {convex.version} (it needs {convex.engines_node})",
            "Install a Node.js version the pinned convex accepts, then run `make setup`.",
        )
    return None
