"""Recent successful schema evaluations, kept so that ping, dev and codegen need not start Node.

Kept in node_modules/.cache/app-convex/ and keyed by the content of every file in the
functions folder (so equal sources share an entry, wherever they are),
the lockfile, the installed convex version and the evaluating helper, so a change to any
of them misses; files bundled from elsewhere are checked against their digests on use.
An entry also notes what each generated model file holds when it is current for these
sources, so that dev's start and the check know it without generating them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

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
    entry = _read_entry(_cache_file(project))
    if entry is None or not isinstance(entry.get("export"), dict):
        return None
    outside = entry.get("outside") or {}
    if any(_digest(project.root, name) != digest for name, digest in outside.items()):
        return None  # a file bundled from outside the functions folder changed since
    locations = entry.get("locations")
    return Evaluation(
        entry["export"],
        None,
        inputs=tuple(outside),  # the files outside the functions folder it bundled (what to watch)
        locations=locations if isinstance(locations, dict) else {},
    )


def _read_entry(path: Path | None) -> dict[str, Any] | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def _write_entry(path: Path, entry: dict[str, Any]) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent checks never share one
    temporary.write_text(json.dumps(entry), encoding="utf-8")
    temporary.replace(path)


def _generator() -> str:
    """What the model files' text depends on besides the sources: the app's generator."""
    from cli.services.convex import typegen

    digest = hashlib.sha256()
    for source in sorted(Path(typegen.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def remember_models(project: Project, files: dict[Path, str]) -> None:
    """Note, in the entry of these sources, what each model file holds when current (best effort)."""
    path = _cache_file(project)
    entry = _read_entry(path)
    if path is None or entry is None:
        return
    entry["models"] = {
        "generator": _generator(),
        "files": {
            p.relative_to(project.root).as_posix(): hashlib.sha256(text.encode()).hexdigest()
            for p, text in files.items()
        },
    }
    with contextlib.suppress(OSError):
        _write_entry(path, entry)


def current_models(project: Project) -> dict[str, str] | None:
    """{model file: sha256 of its current text} for these sources, when an earlier run noted it."""
    entry = _read_entry(_cache_file(project))
    models = entry.get("models") if entry else None
    if not isinstance(models, dict) or models.get("generator") != _generator():
        return None
    files = models.get("files")
    return files if isinstance(files, dict) else None


def models_match(project: Project) -> bool:
    """Whether every model file holds what these sources make of it (False when unknown)."""
    files = current_models(project)
    return (
        files is not None
        and bool(files)
        and all(_digest(project.root, name) == digest for name, digest in files.items())
    )


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
        earlier = _read_entry(path)
        if earlier is not None and "models" in earlier:
            entry["models"] = earlier["models"]  # the same sources: what the models hold still holds
        _write_entry(path, entry)
    except OSError:
        pass
