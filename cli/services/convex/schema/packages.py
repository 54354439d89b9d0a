"""An import esbuild could not resolve, read as the npm package that is not installed (the
project's own import, or a dependency a package lacks), with the command that installs it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MissingPackage:
    package: str
    needed_by: str | None  # the package whose file imports it; None: the project's own file

    @property
    def message(self) -> str:
        if self.needed_by is not None:
            return f"the package {self.needed_by} needs {self.package}, which is not installed"
        return f"the package {self.package} is not installed"

    @property
    def hint(self) -> str:
        also = f" (or reinstall {self.needed_by}: `npm install {self.needed_by}`)" if self.needed_by else ""
        return f"Install it: `npm install {self.package}`{also}, then run the command again."


def missing_package(
    detail: str, file: str | None, root: Path, *, builtin: bool = False
) -> MissingPackage | None:
    """The package behind esbuild's `Could not resolve "<spec>"`, if it names one that is not
    in node_modules; None for relative paths, path aliases and Node's built-ins (`builtin`:
    the evaluator asks Node's `isBuiltin`)."""
    if builtin:
        return None
    match = re.fullmatch(r'Could not resolve "([^"]+)"', detail.strip())
    if match is None:
        return None
    spec = match.group(1)
    if spec.startswith((".", "/", "node:", "@/", "~", "$", "#")):
        return None
    parts = spec.split("/")
    package = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
    if not re.fullmatch(r"(@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*", package, re.I):
        return None
    if (root / "node_modules" / package / "package.json").is_file():
        return None  # installed: the path inside it is wrong, as esbuild says
    return MissingPackage(package, _owner(file))


def _owner(file: str | None) -> str | None:
    """The package a file of node_modules belongs to."""
    if not file or "node_modules/" not in file:
        return None
    parts = file.rsplit("node_modules/", 1)[1].split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
