"""Evaluating the project's schema.ts with the real `convex/server` in Node.

The helper bundles it with the esbuild of the project's `convex` package and the CLI's own
options, then does what the backend does with the bundle (`default.export()`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from cli.services.convex.node_end import why_node_ended
from cli.services.convex.schema.packages import missing_package
from cli.services.convex.toolchain import helper_script
from cli.services.project import Project, functions_folder_problem
from cli.shared.deadlines import NODE_START_LIMIT, SCHEMA_LOOP_GUARD
from cli.shared.process import Bounded, Finished
from cli.shared.report import Finding, Severity
from cli.shared.types import JsonObject

HELPER = "evaluate_schema.mjs"


def helper() -> str:
    """The Node helper that evaluates schemas (its protocol is at its top)."""
    return helper_script(__package__ or __name__, HELPER)


@dataclass(frozen=True)
class Evaluation:
    """What Node made of schema.ts."""

    export: JsonObject | None  # `defineSchema(...).export()`, parsed; None on failure
    node_version: str | None
    kind: str | None = None  # why it failed: syntax, resolve, import, no_default_export, ...
    message: str = ""
    finding: Finding | None = None
    inputs: tuple[str, ...] = ()  # the files bundled, relative to the project (esbuild's metafile)
    depth: int = 0  # how deeply the export's JSON text nests
    size: int = 0  # the export's JSON text in bytes
    seconds: float = 0.0  # how long the schema module and export() ran
    hint: str | None = None  # what to do, when the failure says it (a package to install)
    # where each table and index is defined: {table: {file, line, column, indexes: {name: ...}}}
    locations: JsonObject = field(default_factory=dict)


def start_evaluation(project: Project, node: str, timeout: float) -> Bounded:
    """Evaluate the project's schema.ts in Node, within `timeout`; `read_evaluation` takes the end."""
    argv = [node, helper(), str(project.root), project.schema_file]
    return Bounded(argv, cwd=project.root, timeout=timeout, result_file=True, start_within=NODE_START_LIMIT)


def read_evaluation(done: Finished, timeout: float, project: Project) -> Evaluation:
    schema = project.schema_file
    document = done.result
    results = document.get("results") if isinstance(document, dict) else None
    if done.timed_out:
        return _past_deadline(done.stage, timeout, schema)
    if not isinstance(results, list) or len(results) != 1:
        return _no_result(done, schema)
    node = document.get("node") if isinstance(document, dict) else None
    evaluation = evaluation_of(results[0], schema, node, project.root)
    if evaluation.export is None and evaluation.kind == "resolve":
        return _missing(project, node) or evaluation
    return evaluation


def _missing(project: Project, node_version: str | None) -> Evaluation | None:
    """esbuild's words for an entry point that is not there ("Could not resolve"), said as
    what is missing: the functions folder (named where it came from) or schema.ts."""
    schema = project.schema_file
    folder = functions_folder_problem(project)
    if folder is not None:
        code = "layout/missing" if folder.missing else "layout/not-a-folder"
        finding = Finding(code, folder.message, file=folder.file, line=folder.line)
        return Evaluation(None, node_version, "missing", folder.message, finding, hint=folder.hint)
    if (project.root / schema).exists():
        return None
    message = f"{schema} does not exist"
    hint = (
        f"Restore {schema} from version control: it defines the tables (`export default defineSchema(...)`)."
    )
    finding = Finding("layout/missing", message, file=schema)
    return Evaluation(None, node_version, "missing", message, finding, hint=hint)


def _failed(kind: str, message: str, schema: str, hint: str | None = None) -> Evaluation:
    return Evaluation(None, None, kind, message, Finding(f"schema/{kind}", message, file=schema), hint=hint)


def _past_deadline(stage: str | None, timeout: float, schema: str) -> Evaluation:
    """What a deadline stopped, told by the step the helper had reached (see evaluate_schema.mjs)."""
    if stage is None and timeout < NODE_START_LIMIT:  # the deadline, not node, was short
        message = f"node did not start within --timeout {timeout:g} s"
        hint = (
            "Raise --timeout: node takes longer than that to start here "
            f"(the default is {SCHEMA_LOOP_GUARD:g} s)."
        )
        return _failed("slow-start", message, schema, hint)
    if stage is None:
        message = f"node did not start evaluating {schema} within {min(timeout, NODE_START_LIMIT):g} s"
        return _failed("no-answer", message, schema, "Put Node.js 20 or newer first on PATH.")
    if stage in ("started", "bundling"):
        message = f"esbuild did not finish bundling {schema} within {timeout:g} s; node was stopped"
        return _failed("timeout", message, schema, "Raise --timeout (a machine this busy needs longer).")
    message = (
        f"{schema} did not finish evaluating within {timeout:g} s "
        "(an endless loop at import?); node was stopped"
    )
    return _failed(
        "timeout", message, schema, f"Look for a loop or a blocking call at the top level of {schema}."
    )


def _no_result(done: Finished, schema: str) -> Evaluation:
    if done.returncode == 0:
        # Node ended as if all went well but the helper never wrote its result: the
        # schema (or a module it imports) ended the process, or the helper is broken.
        problem = done.result_problem or "not what the helper writes"
        why = "without a result" if problem == "missing" else f"with a result that is {problem}"
        message = f"node ended (exit code 0) {why} while evaluating {schema}"
        return _failed("protocol", message, schema)
    end = why_node_ended(done, f"evaluating {schema}", schema)
    return _failed(end.kind, end.message, schema, end.hint)


def evaluation_of(result: object, schema: str, node_version: str | None, root: Path) -> Evaluation:
    """One schema's result, as the helper wrote it (it takes several schemas in one run) for
    the project at `root`."""
    if not isinstance(result, dict):
        message = f"the evaluator gave no result for {schema}"
        return Evaluation(
            None, node_version, "protocol", message, Finding("schema/protocol", message, file=schema)
        )
    if result.get("ok"):
        inputs = tuple(map(str, result.get("inputs", [])))
        depth, size = int(result.get("depth", 0)), int(result.get("bytes", 0))
        seconds = float(result.get("seconds", 0.0))
        found = result.get("locations")
        locations: JsonObject = found if isinstance(found, dict) else {}
        if result.get("schema") is None:  # too deep to hand over; the push rules say why
            message = f"{schema} evaluates, but its export nests {depth} levels deep"
            return Evaluation(None, node_version, "too_deep", message, None, inputs, depth, size, seconds)
        return Evaluation(
            result["schema"], node_version, None, "", None, inputs, depth, size, seconds, locations=locations
        )
    kind = str(result.get("kind"))
    detail = str(result.get("message", ""))
    loc = result.get("location") or {}
    missing = (
        missing_package(detail, loc.get("file"), root, builtin=result.get("builtin") is True)
        if kind == "resolve"
        else None
    )
    if missing is not None:
        file = loc.get("file") or schema
        message = f"{file}:{loc.get('line')}:{loc.get('column')}: {detail}: {missing.message}"
        finding = Finding(
            "schema/missing-package", message, file=file, line=loc.get("line"), column=loc.get("column")
        )
        return Evaluation(None, node_version, kind, message, finding, hint=missing.hint)
    if kind == "resolve" and result.get("builtin") is True:
        file = loc.get("file") or schema
        message = f"{file}:{loc.get('line')}:{loc.get('column')}: {detail}: a Node built-in module"
        finding = Finding(
            "schema/node-builtin", message, file=file, line=loc.get("line"), column=loc.get("column")
        )
        hint = (
            f"The Convex runtime has no Node built-in modules: remove this import from what {schema} loads."
        )
        return Evaluation(None, node_version, kind, message, finding, hint=hint)
    if kind in ("syntax", "resolve") and loc.get("line"):
        file = loc.get("file") or schema
        message = f"{file}:{loc.get('line')}:{loc.get('column')}: {detail}"
        finding = Finding(f"schema/{kind}", detail, file=file, line=loc.get("line"), column=loc.get("column"))
    elif kind in ("syntax", "resolve"):  # esbuild could not read it at all
        message = f"{schema} cannot be bundled: {detail}"
        finding = Finding("schema/unreadable", detail, file=schema)
    elif kind == "import":
        message = f"{schema} throws when imported: {detail}"
        finding = Finding("schema/import", message, file=schema)
    elif kind in ("no_default_export", "not_schema"):
        message = f"{schema} does not export a schema: {detail}"
        finding = Finding(f"schema/{kind.replace('_', '-')}", message, file=schema)
    else:
        message = f"{schema} could not be evaluated: {detail}"
        finding = Finding(f"schema/{kind}", message, file=schema)
    return Evaluation(None, node_version, kind, message, finding)


def encoding_warnings(project: Project, inputs: tuple[str, ...]) -> list[Finding]:
    """Project files in the bundle that are not UTF-8: esbuild reads each bad byte as U+FFFD,
    so a string literal silently changes. One warning per file, at its first bad byte."""
    names = {project.schema_file, *(n for n in inputs if "node_modules/" not in n and ":" not in n)}
    warnings = []
    for name in sorted(names):
        try:
            data = (project.root / name).read_bytes()
            data.decode("utf-8")
        except OSError:
            continue
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            byte = data[error.start]
            message = (
                f"byte 0x{byte:02X} is not UTF-8; esbuild reads it as U+FFFD (\N{REPLACEMENT CHARACTER}), "
                "so the text there is not what the file holds"
            )
            warnings.append(
                Finding(
                    "schema/not-utf8", message, file=name, line=line, column=column, severity=Severity.WARNING
                )
            )
    return warnings


def placed(findings: list[Finding], locations: JsonObject) -> list[Finding]:
    """The findings with the file, line and column of what they name: the index's definition,
    else its table's (when the evaluator saw where the project defines them)."""
    out = []
    for finding in findings:
        table = locations.get(finding.table) if finding.table and finding.line is None else None
        if not isinstance(table, dict):
            out.append(finding)
            continue
        where = (table.get("indexes") or {}).get(finding.index) if finding.index else None
        where = where if isinstance(where, dict) else table
        if isinstance(where.get("file"), str) and isinstance(where.get("line"), int):
            finding = replace(finding, file=where["file"], line=where["line"], column=where.get("column"))
        out.append(finding)
    return out
