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
import re
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
    # "missing", "unreadable" (the system refused it) or "invalid" (its text), with where
    # JSON's reader stopped when it does not parse
    kind: str | None = None
    line: int | None = None
    column: int | None = None
    text: str = ""  # as read: where a dependency is pinned is looked up in it

    def dependency(self, name: str) -> str | None:
        """The version range asked for `name`, from any dependency section."""
        found = self.dependency_value(name)
        return found[1] if found is not None and isinstance(found[1], str) else None

    def dependency_value(self, name: str) -> tuple[str, object] | None:
        """(section, value) of `name` in the first dependency section that lists it, whatever
        the value is (a version should be a string: this says what it is instead)."""
        for section in DEPENDENCY_SECTIONS:
            deps = (self.data or {}).get(section)
            if isinstance(deps, dict) and name in deps:
                return section, deps[name]
        return None

    def line_of_dependency(self, section: str, name: str) -> int | None:
        """The line of `"name":` inside `"section": {...}`, when the text shows it plainly (a
        dependency section holds strings, so its first `}` closes it)."""
        opening = re.search(rf'"{re.escape(section)}"\s*:\s*\{{', self.text)
        if opening is None:
            return None
        body_end = self.text.find("}", opening.end())
        body = self.text[opening.end() : body_end if body_end >= 0 else len(self.text)]
        key = re.search(rf'"{re.escape(name)}"\s*:', body)
        if key is None:
            return None
        return self.text.count("\n", 0, opening.end() + key.start()) + 1


def read_package_json(path: Path) -> PackageJson:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return PackageJson(None, "missing", "missing")
    except UnicodeDecodeError as error:
        return PackageJson(None, os_reason(error), "invalid")
    except OSError as error:
        return PackageJson(None, f"it cannot be read: {os_reason(error)}", "unreadable")
    try:
        data = json.loads(text)
    except ValueError as error:
        line, column = json_position(error)
        return PackageJson(
            None, f"it is not valid JSON: {json_problem(error)}", "invalid", line, column, text
        )
    if not isinstance(data, dict):
        return PackageJson(None, "it does not hold a JSON object", "invalid", text=text)
    return PackageJson(data, text=text)


def json_problem(error: ValueError) -> str:
    """Where and why `json.loads` refused a file, in the words Node's JSON.parse would use about
    the same text (the Convex CLI's reader: a BOM is refused there too)."""
    if not isinstance(error, json.JSONDecodeError):
        return "it is not JSON text"
    if error.msg.startswith("Unexpected UTF-8 BOM"):
        return "it starts with a byte order mark (BOM); save it as UTF-8 without one"
    return f"line {error.lineno} column {error.colno}: {error.msg.lower()}"


def json_position(error: ValueError) -> tuple[int | None, int | None]:
    """(line, column) where JSON's reader stopped, when it says (not for a BOM: the file's start)."""
    if not isinstance(error, json.JSONDecodeError) or error.msg.startswith("Unexpected UTF-8 BOM"):
        return None, None
    return error.lineno, error.colno


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
    # `functions` as convex.json writes it, with the line it is on; None: the CLI's default
    functions_setting: tuple[str, int | None] | None = None

    @property
    def functions_dir(self) -> Path:
        return self.root / self.functions

    @property
    def schema_file(self) -> str:
        return self.file("schema.ts")

    @property
    def tsconfig_file(self) -> str:
        return self.file("tsconfig.json")

    def file(self, name: str) -> str:
        """A file of the functions folder, relative to root as esbuild and tsc name it
        (`schema.ts`, not `./schema.ts`, when the folder is the root itself)."""
        return posixpath.join(self.functions, name) if self.functions != "." else name

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
    return _functions_setting(root, package_json)[0]


def _functions_setting(root: Path, package_json: PackageJson) -> tuple[str, tuple[str, int | None] | None]:
    """The functions folder, and `functions` as convex.json writes it with its line (None
    when the folder is the CLI's default)."""
    config_path = root / "convex.json"
    if not config_path.exists():
        react = package_json.dependency("react-scripts") is not None
        return (f"src/{DEFAULT_FUNCTIONS}" if react else DEFAULT_FUNCTIONS), None
    hint = 'Fix convex.json: a JSON object whose "functions" names the folder of your Convex functions.'
    try:
        text = config_path.read_text(encoding="utf-8")
        config = json.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"convex.json cannot be read: {os_reason(error)}", hint) from None
    except ValueError as error:
        raise ConfigError(f"convex.json is not valid JSON: {json_problem(error)}", hint) from None
    if not isinstance(config, dict):
        raise ConfigError("convex.json does not hold a JSON object", hint)
    if "functions" not in config:
        return DEFAULT_FUNCTIONS, None
    functions = config["functions"]
    if not isinstance(functions, str):
        raise ConfigError(f'"functions" in convex.json is {json.dumps(functions)}, not a folder path', hint)
    keys = list(re.finditer(r'"functions"\s*:', text))
    line = text.count("\n", 0, keys[0].start()) + 1 if len(keys) == 1 else None
    # `path.join(".", functions)` in the CLI: relative to the root even when it starts with /.
    return posixpath.normpath(functions.lstrip("/")) or ".", (functions, line)


def load_project(root: Path) -> Project:
    package_json = read_package_json(root / "package.json")
    functions, setting = _functions_setting(root, package_json)
    return Project(root, functions, package_json, setting)


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


@dataclass(frozen=True)
class FolderProblem:
    """What is wrong with the functions folder, said once, from where its name came."""

    message: str
    hint: str
    file: str  # convex.json when it names the folder, else the folder
    line: int | None
    detail: str  # the message without the file's name, for a finding that names the file
    missing: bool  # False: it exists but is not a folder


def functions_folder_problem(project: Project) -> FolderProblem | None:
    """Why the functions folder cannot be used (missing, or not a folder), or None."""
    folder = project.root / project.functions
    if folder.is_dir():
        return None
    missing = not folder.exists()
    name = project.functions
    is_not = "does not exist" if missing else "is not a folder"
    if project.functions_setting is not None:
        written, line = project.functions_setting
        detail = f"sets functions to {json.dumps(written)}, and {name} {is_not}"
        move = f", or put them in {name}/" if missing else ""
        return FolderProblem(
            f"convex.json {detail}",
            f'Set "functions" in convex.json to the folder that holds your Convex functions and '
            f"schema.ts{move}.",
            "convex.json",
            line,
            detail,
            missing,
        )
    return FolderProblem(
        f"the functions folder {name}/ {is_not}",
        f"Restore {name}/ (schema.ts, tsconfig.json and your functions) from version control, or "
        'name the folder that holds them in convex.json: { "functions": "path/to/folder/" }.',
        name,
        None,
        f"the functions folder {name}/ {is_not}",
        missing,
    )
