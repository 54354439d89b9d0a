"""The toolchain gate: node, and the pinned `convex` package at a version that fits, asked the
same way by every command that needs Node (check, dev, codegen); and the Node helpers the app
ships as package data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cli.services.project import Project
from cli.shared.errors import ToolchainError
from cli.shared.report import Finding

if TYPE_CHECKING:
    from contextlib import ExitStack

# The oldest `convex` the app supports, and the one it is built and tested with: the newest
# whose CLI runs on Node 20 (1.49 needs Node 22).
MIN_CONVEX_VERSION = (1, 25, 0)
RECOMMENDED_CONVEX = "1.48.0"

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


class ToolchainProblem(ToolchainError):
    """A ToolchainError (exit 3) with the stable code of its finding and the file it is in."""

    def __init__(
        self,
        finding_code: str,
        message: str,
        hint: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.finding_code = finding_code
        self.file, self.line, self.column = file, line, column

    def finding(self) -> Finding:
        return Finding(self.finding_code, self.message, file=self.file, line=self.line, column=self.column)


PACKAGE_JSON = "package.json"
# npm's specs that name no version of the registry's package: a path, a URL, git, an alias.
_NOT_A_VERSION = re.compile(r"^(?:[a-z+]+:|\.{0,2}/|~/)|/", re.IGNORECASE)
# A (partial) version in npm's ranges: 1, 1.48, 1.x, *, 1.48.0-beta.1.
_PARTIAL = re.compile(r"(?:\*|[xX]|\d+)(?:\.(?:\*|[xX]|\d+)){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
# One version, as npm pins it (a prerelease or build included).
_ONE_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def _package_json_problem(project: Project, installed: str | None) -> ToolchainProblem | None:
    """package.json must exist, parse, and pin convex to exactly the installed version; each
    way it fails has its own code, and advice that fits that way alone."""
    package = project.package_json
    wanted = installed if installed and parse_version(installed) else RECOMMENDED_CONVEX
    pinned = f'"convex": "{wanted}"'
    if package.kind == "missing":
        return ToolchainProblem(
            "toolchain/missing",
            f"package.json is missing in {project.root}",
            f"Restore package.json from version control, or create one whose dependencies pin {pinned}; "
            "then run `make setup`.",
            file=PACKAGE_JSON,
        )
    if package.kind == "unreadable":
        return ToolchainProblem(
            "toolchain/package-json-unreadable",
            f"package.json {package.problem}",
            f"Make {project.root / PACKAGE_JSON} a file you can read (`ls -l` shows its owner and mode).",
            file=PACKAGE_JSON,
        )
    if package.kind == "invalid" or package.data is None:
        return _invalid_package_json(package.problem or "", package.line, package.column)
    found = package.dependency_value("convex")
    if found is None:
        return ToolchainProblem(
            "toolchain/pin-missing",
            "package.json does not list convex in its dependencies",
            f"Add {pinned} to the dependencies in package.json, then run `npm install`.",
            file=PACKAGE_JSON,
        )
    section, pin = found
    line = package.line_of_dependency(section, "convex")
    exact = f"Pin one version in package.json ({pinned}), then run `npm install`."
    if not isinstance(pin, str) or _NOT_A_VERSION.search(pin):
        message = (
            f"package.json asks for convex from {json.dumps(pin)}, not a version of the npm package"
            if isinstance(pin, str)
            else f"package.json gives convex as {json.dumps(pin)}, not a version string"
        )
        return ToolchainProblem("toolchain/pin-invalid", message, exact, file=PACKAGE_JSON, line=line)
    if not _ONE_VERSION.fullmatch(pin.strip().lstrip("=v").strip()):
        kind = "a range" if _is_range(pin) else "a tag that moves with each release"
        return ToolchainProblem(
            "toolchain/pin-range",
            f"package.json asks for convex {json.dumps(pin)}, {kind} rather than one exact version",
            exact,
            file=PACKAGE_JSON,
            line=line,
        )
    pin = pin.strip().lstrip("=v").strip()
    if installed is not None and pin != installed:
        return ToolchainProblem(
            "toolchain/pin-mismatch",
            f"convex {installed} is installed but package.json pins {pin}",
            _mismatch_hint(project, pin, installed),
            file=PACKAGE_JSON,
            line=line,
        )
    return None


def _is_range(spec: str) -> bool:
    """Whether npm's semver reads `spec` as a range ("" and "*" being any version); else npm
    takes it for a dist-tag such as "latest"."""
    for alternative in spec.split("||"):
        for token in alternative.split():
            bare = token.lstrip("<>=^~").lstrip("v")
            if token != "-" and bare and not _PARTIAL.fullmatch(bare):
                return False
    return True


def _invalid_package_json(problem: str, line: int | None, column: int | None) -> ToolchainProblem:
    if problem.startswith("it is not valid JSON: "):
        message = f"package.json is not valid JSON: {problem.removeprefix('it is not valid JSON: ')}"
    else:
        message = f"package.json {problem.removeprefix('it ')}"  # "does not hold a JSON object", ...
    if line is not None:
        hint = f"Correct line {line}, column {column} of package.json so that it is valid JSON."
    elif "byte order mark" in problem:
        hint = "Save package.json as UTF-8 without a byte order mark."
        message = "package.json starts with a byte order mark (BOM), which npm and Node refuse"
    elif "UTF-8" in problem:
        hint = "Save package.json as UTF-8 text."
    else:
        hint = 'Make package.json a JSON object: { "dependencies": { "convex": "..." } }.'
    return ToolchainProblem(
        "toolchain/package-json-invalid", message, hint, file=PACKAGE_JSON, line=line, column=column
    )


def _mismatch_hint(project: Project, pin: str, installed: str) -> str:
    """`make setup` (npm ci) installs what package-lock.json holds; when the lock holds another
    version than the pin, npm ci refuses, and `npm install` is what brings the three together."""
    locked = locked_version(project, "convex")
    if locked == pin:
        return f"Run `make setup`: it installs convex {pin}, as package.json and package-lock.json pin it."
    return (
        f"Run `npm install` to install convex {pin} (it updates package-lock.json), or pin "
        f'"convex": "{installed}" in package.json again if {pin} was not meant.'
    )


def locked_version(project: Project, name: str) -> str | None:
    """The version package-lock.json records for `name` (lockfile v2 and v3), if it says."""
    try:
        lock = json.loads((project.root / "package-lock.json").read_text(encoding="utf-8"))
        version = lock["packages"][f"node_modules/{name}"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return version if isinstance(version, str) else None


def toolchain_problem(project: Project, node_version: str | None) -> ToolchainProblem | None:
    """What keeps node and the pinned convex package from working here, or None.

    `node_version` is what node said of itself (see probe_node_version); None when it did
    not answer as Node.
    """
    node, convex = project.node, project.convex
    if node is None:
        return ToolchainProblem(
            "toolchain/missing",
            "node is not on PATH",
            "Install Node.js 20 or newer (https://nodejs.org), then run `make setup`.",
        )
    if node_version is None:
        return ToolchainProblem(
            "toolchain/no-answer",
            f"{node} does not answer `node --version` as Node.js does",
            "Put Node.js 20 or newer first on PATH (https://nodejs.org), then run `make setup`.",
        )
    problem = _package_json_problem(project, convex.version)
    if problem is not None:
        return problem
    if convex.version is None:
        return ToolchainProblem("toolchain/missing", "node_modules/convex is not installed", SETUP_HINT)
    installed = parse_version(convex.version)
    if installed is None or installed < MIN_CONVEX_VERSION:
        minimum = format_version(MIN_CONVEX_VERSION)
        return ToolchainProblem(
            "toolchain/convex-too-old",
            f"convex {convex.version} is installed; {minimum} or newer is needed",
            f'Pin "convex": "{RECOMMENDED_CONVEX}" in package.json, then run `npm install`.',
            file=PACKAGE_JSON,
        )
    if not node_satisfies(node_version, convex.engines_node):
        return ToolchainProblem(
            "toolchain/node-too-old",
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
