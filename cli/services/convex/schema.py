"""Evaluating convex/schema.ts with the real `convex/server` in Node, and type-checking convex/."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.services.convex.node import helper_script, tsc_command
from cli.services.convex.report import Finding
from cli.shared.process import Bounded, Finished, marked_result

SCHEMA_FILE = "convex/schema.ts"


@dataclass(frozen=True)
class Evaluation:
    """What Node made of convex/schema.ts."""

    export: dict[str, Any] | None  # `defineSchema(...).export()`, parsed; None on failure
    node_version: str | None
    kind: str | None = None  # why it failed: syntax, resolve, import, no_default_export, ...
    message: str = ""
    finding: Finding | None = None
    inputs: tuple[str, ...] = ()  # the files bundled, relative to the project (esbuild's metafile)

    @property
    def ok(self) -> bool:
        return self.export is not None


CACHE_DIR = Path("node_modules") / ".cache" / "app-convex"


def _cache_file(root: Path) -> Path | None:
    """Where the export of the current sources is cached: keyed by every file in convex/,
    the lockfile, the installed convex version and the evaluating helper, so a change to
    any of them misses. Files bundled from elsewhere are checked by cached_export."""
    digest = hashlib.sha256()
    convex = root / "convex"
    try:
        for path in sorted(p for p in convex.rglob("*") if p.is_file() and "_generated" not in p.parts):
            digest.update(str(path.relative_to(convex)).encode() + b"\0" + path.read_bytes() + b"\0")
        lockfile = root / "package-lock.json"
        if lockfile.is_file():
            digest.update(lockfile.read_bytes())
        digest.update((root / "node_modules" / "convex" / "package.json").read_bytes())
        digest.update(Path(helper_script("evaluate_schema.mjs")).read_bytes())
    except OSError:
        return None
    return root / CACHE_DIR / f"schema-{digest.hexdigest()[:32]}.json"


def _outside_files(root: Path, inputs: tuple[str, ...]) -> list[str]:
    """Bundled files that the cache key does not cover (not in convex/ or node_modules/)."""
    return sorted(
        name
        for name in inputs
        if not name.startswith("convex/") and "node_modules/" not in name and ":" not in name
    )


def _digest(root: Path, name: str) -> str | None:
    try:
        return hashlib.sha256((root / name).read_bytes()).hexdigest()
    except OSError:
        return None


def cached_export(root: Path) -> dict[str, Any] | None:
    """The export a previous evaluation of exactly these sources produced, if any."""
    path = _cache_file(root)
    try:
        entry = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("export"), dict):
        return None
    outside = entry.get("outside") or {}
    if any(_digest(root, name) != digest for name, digest in outside.items()):
        return None  # a file bundled from outside convex/ changed since
    export: dict[str, Any] = entry["export"]
    return export


def store_export(root: Path, evaluation: Evaluation) -> None:
    """Remember a successful evaluation (best effort: a read-only tree just misses)."""
    path = _cache_file(root)
    if path is None or evaluation.export is None:
        return
    outside = {name: _digest(root, name) for name in _outside_files(root, evaluation.inputs)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("schema-*.json"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"export": evaluation.export, "outside": outside}), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def start_evaluation(root: Path, node: str, timeout: float) -> Bounded:
    argv = [node, helper_script("evaluate_schema.mjs"), str(root), SCHEMA_FILE]
    return Bounded(argv, cwd=root, timeout=timeout)


def read_evaluation(done: Finished, timeout: float) -> Evaluation:
    if done.timed_out:
        message = (
            f"{SCHEMA_FILE} did not finish evaluating within {timeout:g} s "
            "(an endless loop at import?); node was stopped"
        )
        return Evaluation(
            None, None, "timeout", message, Finding("schema/timeout", message, file=SCHEMA_FILE)
        )
    result = marked_result(done.stdout)
    if result is None:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        message = f"node crashed while evaluating {SCHEMA_FILE}: {tail[0]}"
        return Evaluation(None, None, "crash", message, Finding("schema/crash", message, file=SCHEMA_FILE))
    node_version = result.get("node")
    if result.get("ok"):
        return Evaluation(result["schema"], node_version, inputs=tuple(map(str, result.get("inputs", []))))
    kind = str(result.get("kind"))
    detail = str(result.get("message", ""))
    loc = result.get("location") or {}
    if kind in ("syntax", "resolve") and loc.get("line"):
        file = loc.get("file") or SCHEMA_FILE
        message = f"{file}:{loc.get('line')}:{loc.get('column')}: {detail}"
        finding = Finding(f"schema/{kind}", detail, file=file, line=loc.get("line"), column=loc.get("column"))
    elif kind in ("syntax", "resolve"):  # esbuild could not read it at all
        message = f"{SCHEMA_FILE} cannot be bundled: {detail}"
        finding = Finding("schema/unreadable", detail, file=SCHEMA_FILE)
    elif kind == "import":
        message = f"{SCHEMA_FILE} throws when imported: {detail}"
        finding = Finding("schema/import", message, file=SCHEMA_FILE)
    elif kind in ("no_default_export", "not_schema"):
        message = f"{SCHEMA_FILE} does not export a schema: {detail}"
        finding = Finding(f"schema/{kind.replace('_', '-')}", message, file=SCHEMA_FILE)
    else:
        message = f"{SCHEMA_FILE} could not be evaluated: {detail}"
        finding = Finding(f"schema/{kind}", message, file=SCHEMA_FILE)
    return Evaluation(None, node_version, kind, message, finding)


# `convex/schema.ts(3,5): error TS2345: Argument of type ...`
TSC_ERROR = re.compile(
    r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$"
)
TSC_GLOBAL_ERROR = re.compile(r"^error (?P<code>TS\d+): (?P<msg>.*)$")


@dataclass(frozen=True)
class Typecheck:
    findings: tuple[Finding, ...]
    timed_out: bool = False
    failed_to_run: str | None = None  # set when tsc crashed without reporting errors

    @property
    def ok(self) -> bool:
        return not self.findings and not self.timed_out and self.failed_to_run is None


def start_typecheck(root: Path, node: str, timeout: float) -> Bounded | None:
    tsc = tsc_command(root, node)
    if tsc is None:
        return None
    return Bounded([*tsc, "--noEmit", "-p", "convex", "--pretty", "false"], cwd=root, timeout=timeout)


def read_typecheck(done: Finished) -> Typecheck:
    if done.timed_out:
        return Typecheck((), timed_out=True)
    findings: list[Finding] = []
    for line in done.stdout.splitlines():
        if match := TSC_ERROR.match(line):
            findings.append(
                Finding(
                    f"types/{match['code']}",
                    match["msg"],
                    file=match["file"],
                    line=int(match["line"]),
                    column=int(match["col"]),
                )
            )
        elif match := TSC_GLOBAL_ERROR.match(line):
            findings.append(Finding(f"types/{match['code']}", match["msg"]))
        elif line.startswith("  ") and findings:
            last = findings[-1]  # a continuation line of the previous message
            findings[-1] = Finding(
                last.code, f"{last.message} {line.strip()}", last.file, last.line, last.column
            )
    if done.returncode != 0 and not findings:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        return Typecheck((), failed_to_run=tail[0])
    return Typecheck(tuple(findings))
