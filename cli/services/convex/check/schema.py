"""The checks made of one schema evaluation: schema, push rules, contract and models."""

from __future__ import annotations

import hashlib
import os

from cli.services.convex.check.contract import CONTRACT_FILE, check_contract, contract_size
from cli.services.convex.push import check_push_rules, push_rules_result, too_deep
from cli.services.convex.schema.cache import current_models
from cli.services.convex.schema.evaluation import Evaluation, encoding_warnings, placed
from cli.services.convex.schema.model import SchemaModel
from cli.services.convex.typegen.files import MODELS_DIR, documents_current, rewrite_hint
from cli.services.convex.typegen.formatter import FormatError
from cli.services.project import Project, os_reason
from cli.shared.report import CheckResult, Finding, Severity, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject

MODELS_HINT = rewrite_hint(1)  # the check compares one file, documents.py

NAMES = ("schema", "push rules", "contract", "models")
# The backend gives the schema module 1 s of JavaScript (DATABASE_UDF_USER_TIMEOUT in
# convex-backend's crates/common/src/knobs.rs): beyond it the push fails there.
BACKEND_SECONDS = 1.0


def schema_checks(
    project: Project, evaluation: Evaluation | None, problems: dict[str, str], timeout: float
) -> list[CheckResult]:
    schema = project.schema_file
    if evaluation is None:
        why = f"needs {schema}" if schema in problems else "needs node and node_modules/convex"
        return [CheckResult(name, Status.SKIPPED, why) for name in NAMES]
    if evaluation.kind == "too_deep":
        return [
            _schema(project, evaluation, f"{schema} evaluates"),
            _push_rules(project, [too_deep(evaluation.depth)]),
            CheckResult("contract", Status.SKIPPED, "needs a schema the backend can read"),
            CheckResult("models", Status.SKIPPED, "needs a schema the backend can read"),
        ]
    if evaluation.export is None:
        return [
            _failed_evaluation(project, evaluation),
            *(CheckResult(name, Status.SKIPPED, "needs a schema that evaluates") for name in NAMES[1:]),
        ]
    export = evaluation.export
    rules = _push_rules(project, placed(check_push_rules(export, size=evaluation.size), evaluation.locations))
    models = (
        _models(project, export, timeout)
        if rules.status is not Status.FAILED
        else CheckResult("models", Status.SKIPPED, "needs a schema the backend accepts")
    )
    return [
        _schema(project, evaluation, f"{schema} evaluates: {schema_size(export)}"),
        rules,
        _contract(project, SchemaModel.from_export(export), evaluation.locations),
        models,
    ]


# Each kind of index as the export lists it, with its staged twin (defined, not yet in use).
INDEX_KINDS = (
    ("indexes", "stagedDbIndexes", "index", "indexes"),
    ("searchIndexes", "stagedSearchIndexes", "search index", "search indexes"),
    ("vectorIndexes", "stagedVectorIndexes", "vector index", "vector indexes"),
)


def schema_size(export: JsonObject) -> str:
    """'5 tables, 7 indexes, 1 search index': the tables and each kind of index the schema
    defines (database indexes always; search and vector indexes where there are any), staged
    ones counted with their kind and said as such."""
    tables = [t for t in export.get("tables") or [] if isinstance(t, dict)]
    parts = [plural(len(tables), "table")]
    for key, staged_key, word, many in INDEX_KINDS:
        active = sum(len(t.get(key) or []) for t in tables)
        staged = sum(len(t.get(staged_key) or []) for t in tables)
        if active + staged or key == "indexes":
            parts.append(plural(active + staged, word, many) + (f" ({staged} staged)" if staged else ""))
    return ", ".join(parts)


def _failed_evaluation(project: Project, evaluation: Evaluation) -> CheckResult:
    schema = project.schema_file
    # The file esbuild stumbled on may be another one: package.json, tsconfig.json, an import.
    culprit = (evaluation.finding.file if evaluation.finding else None) or schema
    # One file may go by two names (a linked functions folder): name it once.
    evaluates = "it evaluates" if _same_file(project, culprit, schema) else f"{schema} evaluates"
    hint = {
        "no_default_export": f"End {schema} with `export default defineSchema({{...}})`.",
        "not_schema": f"End {schema} with `export default defineSchema({{...}})`.",
        "protocol": f"Remove any process.exit() from {schema} and what it imports; if there is "
        "none, run `make setup` to restore the app's helper.",
    }.get(evaluation.kind or "", f"Fix {culprit} so that {evaluates}, then run the check again.")
    hint = evaluation.hint or hint
    findings = (evaluation.finding,) if evaluation.finding else ()
    return CheckResult("schema", Status.FAILED, evaluation.message, hint, findings)


def _same_file(project: Project, one: str, other: str) -> bool:
    if one == other:
        return True
    try:
        return os.path.samefile(project.root / one, project.root / other)
    except OSError:  # one of them is gone, or cannot be looked at
        return False


def _schema(project: Project, evaluation: Evaluation, evaluates: str) -> CheckResult:
    """A schema that evaluated: passed, or a warning for what may still go wrong."""
    warnings = encoding_warnings(project, evaluation.inputs)
    if evaluation.seconds > BACKEND_SECONDS:
        warnings.append(
            Finding(
                "schema/slow",
                f"{project.schema_file} took {evaluation.seconds:.1f} s to evaluate here; the backend "
                f"stops a schema after {BACKEND_SECONDS:g} s",
                file=project.schema_file,
                severity=Severity.WARNING,
            )
        )
    if not warnings:
        return CheckResult("schema", Status.PASSED, evaluates)
    files = ", ".join(sorted({str(w.file) for w in warnings if w.code == "schema/not-utf8"}))
    hint = (
        f"Save {files} as UTF-8 text."
        if files
        else f"Do less work at the top level of {project.schema_file}."
    )
    return CheckResult(
        "schema", Status.WARNING, f"{evaluates}; {plural(len(warnings), 'warning')}", hint, tuple(warnings)
    )


def _push_rules(project: Project, findings: list[Finding]) -> CheckResult:
    return push_rules_result(project.schema_file, findings)


def _contract(project: Project, model: SchemaModel, locations: JsonObject) -> CheckResult:
    differences = placed(check_contract(model, project.schema_file), locations)
    if differences:
        return CheckResult(
            "contract",
            Status.FAILED,
            f"{plural(len(differences), 'difference')} from what the app relies on",
            f"Restore them in {project.schema_file}, or update {CONTRACT_FILE} if the app "
            "no longer relies on them.",
            tuple(differences),
        )
    t, f, i = contract_size()
    return CheckResult(
        "contract", Status.PASSED, f"all {t} tables, {f} fields and {i} indexes the app relies on"
    )


def _models(project: Project, export: JsonObject, timeout: float) -> CheckResult:
    """documents.py is what codegen writes for the schema today (from the export the check has,
    without starting Node)."""
    shown = f"{MODELS_DIR}/documents.py"
    try:
        current = (project.root / shown).read_text(encoding="utf-8")
    except FileNotFoundError:
        return CheckResult("models", Status.SKIPPED, f"no {shown} here (`app convex codegen` writes it)")
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult.failure(
            "models", "models/unreadable", f"{shown} cannot be read: {os_reason(error)}", MODELS_HINT
        )
    noted = current_models(project)  # what an earlier run made of these very sources
    digest = hashlib.sha256(current.encode()).hexdigest()
    try:
        current_ok = (noted or {}).get(shown) == digest or documents_current(
            export, project.schema_file, current, timeout
        )
    except FormatError as error:
        return CheckResult.failure(
            "models", "models/format", str(error), error.hint, exit_code=error.exit_code
        )
    if current_ok:
        return CheckResult("models", Status.PASSED, f"{shown} matches {project.schema_file}")
    message = f"{shown} is stale: {project.schema_file} changed since `app convex codegen` wrote it"
    return CheckResult(
        "models", Status.FAILED, message, MODELS_HINT, (Finding("models/stale", message, file=shown),)
    )
