"""Recent successful schema evaluations, kept so that ping, dev and codegen need not start Node.

Kept in node_modules/.cache/app-convex/ and keyed by the content of every file in the
functions folder (so equal sources share an entry, wherever they are),
the lockfile, the installed convex version and the evaluating helper, so a change to any
of them misses; files bundled from elsewhere are checked against their digests on use.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cli.services.convex.schema.evaluation import Evaluation, helper
from cli.services.convex.schema.sources import outside_files
from cli.services.project import Project


def _cache_file(project: Project) -> Path | None:
    digest = hashlib.sha256()
    root, functions = project.root, project.functions_dir
    try:
        files = sorted(p for p in functions.rglob("*") if p.is_file() and "_generated" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(functions)).encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(project.functions.encode() + b"\0")
        lockfile = root / "package-lock.json"
        if lockfile.is_file():
            digest.update(lockfile.read_bytes())
        digest.update(f"{project.convex.version}\0".encode())
        digest.update(Path(helper()).read_bytes())
    except OSError:
        return None
    return project.cache_dir / f"schema-{digest.hexdigest()[:32]}.json"


KEPT_ENTRIES = 16  # node_modules may be shared (a link, a workspace): keep a few, newest first


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _digest(root: Path, name: str) -> str | None:
    try:
        return hashlib.sha256((root / name).read_bytes()).hexdigest()
    except OSError:
        return None


def cached_evaluation(project: Project) -> Evaluation | None:
    """The evaluation (export and where tables are defined) a previous run of exactly these
    sources produced, if any."""
    path = _cache_file(project)
    try:
        entry = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("export"), dict):
        return None
    outside = entry.get("outside") or {}
    if any(_digest(project.root, name) != digest for name, digest in outside.items()):
        return None  # a file bundled from outside the functions folder changed since
    locations = entry.get("locations")
    return Evaluation(entry["export"], None, locations=locations if isinstance(locations, dict) else {})


def store_export(project: Project, evaluation: Evaluation) -> None:
    """Remember a successful evaluation (best effort: a read-only tree just misses)."""
    path = _cache_file(project)
    if path is None or evaluation.export is None:
        return
    outside = {name: _digest(project.root, name) for name in outside_files(project, evaluation.inputs)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        entries = sorted(path.parent.glob("schema-*.json"), key=_mtime, reverse=True)
        for old in entries[KEPT_ENTRIES - 1 :]:
            old.unlink(missing_ok=True)
        entry = {"export": evaluation.export, "outside": outside, "locations": evaluation.locations}
        temporary = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent checks never share one
        temporary.write_text(
            json.dumps(entry),
            encoding="utf-8",
        )
        temporary.replace(path)
    except OSError:
        pass
