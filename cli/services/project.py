"""Where the project is and where its Convex functions live, as the pinned Convex CLI sees it.

The Convex CLI (npm `convex` 1.48.0) takes its working directory for the project: it needs
`./package.json` to list `convex` (`ensureHasConvexDependency`, src/cli/lib/utils/utils.ts)
and reads the functions folder from `./convex.json`'s `functions`, relative to that folder
(`readProjectConfig` and `functionsDir`, src/cli/lib/config.ts and utils.ts; default
`convex/`, or `src/convex/` in a create-react-app project). We find that folder from
anywhere inside the project: the nearest folder upward whose package.json lists `convex`.
Folders on the way with a package.json or a `convex/` of their own that does not make a
Convex project (node_modules/convex/dist, a package of the app) are passed over.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import shutil
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cli.shared.errors import ConfigError
from cli.shared.text import shorten

DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies")
DEFAULT_FUNCTIONS = "convex"


@dataclass(frozen=True)
class PackageJson:
    """package.json as read: its data, or why it could not be read."""

    data: dict[str, Any] | None
    problem: str | None = None  # "missing", or what is wrong with it

    def dependency(self, name: str) -> str | None:
        """The version range asked for `name`, from any dependency section."""
        for section in DEPENDENCY_SECTIONS:
            deps = (self.data or {}).get(section)
            if isinstance(deps, dict) and isinstance(deps.get(name), str):
                return str(deps[name])
        return None


def read_package_json(path: Path) -> PackageJson:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return PackageJson(None, "missing")
    except (OSError, UnicodeDecodeError) as error:
        return PackageJson(None, f"it cannot be read: {os_reason(error)}")
    try:
        data = json.loads(text)
    except ValueError as error:
        return PackageJson(None, f"it is not valid JSON: {json_problem(error)}")
    if not isinstance(data, dict):
        return PackageJson(None, "it does not hold a JSON object")
    return PackageJson(data)


def json_problem(error: ValueError) -> str:
    """Where and why `json.loads` refused a file, in the words Node's JSON.parse would use about
    the same text (the Convex CLI's reader: a BOM is refused there too)."""
    if not isinstance(error, json.JSONDecodeError):
        return "it is not JSON text"
    if error.msg.startswith("Unexpected UTF-8 BOM"):
        return "it starts with a byte order mark (BOM); save it as UTF-8 without one"
    return f"line {error.lineno} column {error.colno}: {error.msg.lower()}"


def os_reason(error: OSError | UnicodeDecodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return error.strerror or "the system refused to open it"


@dataclass(frozen=True)
class InstalledPackage:
    name: str
    version: str | None  # None when not installed
    engines_node: str | None = None


def installed_package(root: Path, name: str) -> InstalledPackage:
    data = read_package_json(root / "node_modules" / name / "package.json").data
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


def _node_platform() -> tuple[str, str]:
    import platform  # only for tsc's path: keep start-up light

    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return system, arch


@dataclass(frozen=True)
class Project:
    """The project's root, its functions folder and its package.json, resolved once per
    command; what is installed is looked up on first use and then kept."""

    root: Path
    functions: str  # the functions folder relative to root, e.g. "convex" or "src/convex"
    package_json: PackageJson

    @property
    def functions_dir(self) -> Path:
        return self.root / self.functions

    @property
    def schema_file(self) -> str:
        return f"{self.functions}/schema.ts"

    @property
    def tsconfig_file(self) -> str:
        return f"{self.functions}/tsconfig.json"

    @property
    def cache_dir(self) -> Path:
        """Where results worth keeping between commands go (npm's convention)."""
        return self.root / "node_modules" / ".cache" / "app-convex"

    @cached_property
    def node(self) -> str | None:
        """The `node` on PATH (whether it is Node is the toolchain check's question)."""
        return shutil.which("node")

    @cached_property
    def convex(self) -> InstalledPackage:
        """The installed npm `convex` package."""
        return installed_package(self.root, "convex")

    @cached_property
    def tsc(self) -> list[str] | None:
        """The project's TypeScript compiler, or None when typescript is not installed.

        TypeScript 7 ships a native `tsc` in a per-platform package; its `bin/tsc` only
        locates and runs it, so calling the binary directly saves a Node start-up.
        """
        system, arch = _node_platform()
        modules = self.root / "node_modules"
        native = modules / "@typescript" / f"typescript-{system}-{arch}" / "lib" / "tsc"
        if native.is_file():
            return [str(native)]
        script = modules / "typescript" / "bin" / "tsc"
        if script.is_file() and self.node is not None:
            return [self.node, str(script)]
        return None


def _is_convex_project(folder: Path) -> bool:
    """package.json here lists `convex` (what the Convex CLI requires of its cwd)."""
    if not (folder / "package.json").is_file():
        return False
    return read_package_json(folder / "package.json").dependency("convex") is not None


def _looks_like_convex_project(folder: Path) -> bool:
    """Convex files without a package.json that lists convex: a project whose package.json
    is missing or broken, which the check should report rather than miss."""
    return (folder / "convex.json").is_file() or (folder / DEFAULT_FUNCTIONS / "schema.ts").is_file()


def path_too_long(path: Path | str, limit: int | None = None) -> ConfigError:
    """The error for a path the system cannot take: Node, esbuild and tsc would all fail on it."""
    length = len(os.fsencode(path))
    allowed = f" ({limit})" if limit else ""
    return ConfigError(
        f"a path is {length} bytes long, more than this system allows{allowed}: {shorten(str(path), 80)}",
        "Run it from a folder with a shorter path (move the project, or link to it from nearer /).",
    )


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a Convex project (see module doc)."""
    try:
        limit = os.pathconf("/", "PC_PATH_MAX")
    except (OSError, ValueError):
        limit = 4096
    if len(os.fsencode(start)) >= limit:
        raise path_too_long(start, limit)
    try:
        start = start.resolve()  # the real path, as Node's process.cwd() gives it
        folders = (start, *start.parents)
        for folder in folders:
            if _is_convex_project(folder):
                return folder
        for folder in folders:
            if _looks_like_convex_project(folder):
                return folder
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise path_too_long(error.filename or start, limit) from None
        raise
    return None


def functions_folder(root: Path, package_json: PackageJson) -> str:
    """`functions` from convex.json (relative to root), else the CLI's default."""
    config_path = root / "convex.json"
    if not config_path.exists():
        react = package_json.dependency("react-scripts") is not None
        return f"src/{DEFAULT_FUNCTIONS}" if react else DEFAULT_FUNCTIONS
    hint = 'Fix convex.json: a JSON object whose "functions" names the folder of your Convex functions.'
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"convex.json cannot be read: {os_reason(error)}", hint) from None
    except ValueError as error:
        raise ConfigError(f"convex.json is not valid JSON: {json_problem(error)}", hint) from None
    if not isinstance(config, dict):
        raise ConfigError("convex.json does not hold a JSON object", hint)
    functions = config.get("functions", f"{DEFAULT_FUNCTIONS}/")
    if not isinstance(functions, str):
        raise ConfigError(f'"functions" in convex.json is {json.dumps(functions)}, not a folder path', hint)
    # `path.join(".", functions)` in the CLI: relative to the root even when it starts with /.
    return posixpath.normpath(functions.lstrip("/")) or "."


def load_project(root: Path) -> Project:
    package_json = read_package_json(root / "package.json")
    return Project(root, functions_folder(root, package_json), package_json)


def find_project(start: Path) -> Project | None:
    """The project around `start`, or None outside any (ConfigError for a broken convex.json)."""
    root = find_project_root(start)
    return load_project(root) if root is not None else None


def require_project(start: Path) -> Project:
    root = find_project_root(start)
    if root is None:
        raise ConfigError(
            f"no Convex project in {start.resolve()} or any folder above it",
            "Run it inside the project: the folder whose package.json lists convex, or one below it.",
        )
    return load_project(root)
