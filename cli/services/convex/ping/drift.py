"""Ping's schema step: the schema the deployment runs (as `health:ping` returns it) against the
local schema.ts, every table, field and index that differs named."""

from __future__ import annotations

import json
from dataclasses import replace

from cli.services.convex.ping.health import HEALTH_FUNCTION, PUSH_HINT
from cli.services.convex.schema.evaluation import Evaluation
from cli.services.convex.schema.model import Labels, SchemaModel, compare
from cli.services.project import Project, functions_folder_problem
from cli.shared.report import CheckResult, Finding, Severity, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject

SCHEMA_FILE = "schema.ts"  # named with its folder when the project is known


def drift_result(
    deployed: JsonObject | None, local: Evaluation | None, project: Project | None
) -> CheckResult:
    """`deployed`: what health:ping returned (None when it did not answer); `local`: the local
    export, None where it could not be had (no project, functions folder, node or convex)."""
    if deployed is None:
        return CheckResult("schema", Status.SKIPPED, f"needs {HEALTH_FUNCTION} to answer")
    schema = project.schema_file if project is not None else SCHEMA_FILE
    if local is None or local.export is None:
        return _not_checked(local, project, schema)
    text = deployed.get("schema")
    try:
        deployed_export = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        deployed_export = None
    if not isinstance(deployed_export, dict):
        return CheckResult.failure(
            "schema",
            "drift/no-schema",
            f"{HEALTH_FUNCTION} did not return the deployed schema",
            PUSH_HINT,
            finding=f"{HEALTH_FUNCTION} returned no 'schema' string",
        )
    try:
        deployed_model = SchemaModel.from_export(deployed_export)
    except (AttributeError, KeyError, TypeError, ValueError):  # it came over the network
        return CheckResult.failure(
            "schema",
            "drift/no-schema",
            f"{HEALTH_FUNCTION} returned a schema that is not a Convex schema export",
            PUSH_HINT,
        )
    labels = Labels(prefix="drift", expected=schema, actual="the deployment")
    findings = compare(SchemaModel.from_export(local.export), deployed_model, labels, extras=True)
    if findings:
        return CheckResult(
            "schema",
            Status.FAILED,
            f"the deployed schema differs from {schema}: {plural(len(findings), 'difference')}",
            PUSH_HINT,
            tuple(findings),
        )
    return CheckResult("schema", Status.PASSED, f"the deployed schema is {schema}'s")


def _not_checked(local: Evaluation | None, project: Project | None, schema: str) -> CheckResult:
    """Why the local schema could not be had, in the words check and codegen use for it (a
    functions folder that is not there is said with where its name came from)."""
    folder = functions_folder_problem(project) if project is not None else None
    if folder is not None:
        code = "layout/missing" if folder.missing else "layout/not-a-folder"
        finding = Finding(code, folder.detail, folder.file, folder.line, severity=Severity.WARNING)
        return CheckResult(
            "schema", Status.WARNING, f"drift not checked: {folder.message}", folder.hint, (finding,)
        )
    if local is None:
        why = f"no {schema}, node or node_modules/convex here"
        hint = "Run ping from the project with `make setup` done, so the local schema can be evaluated."
        return CheckResult("schema", Status.WARNING, f"drift not checked: {why}", hint)
    if local.kind == "missing" and local.hint:  # a file to restore, said as such
        findings = (replace(local.finding, severity=Severity.WARNING),) if local.finding else ()
        return CheckResult(
            "schema", Status.WARNING, f"drift not checked: {local.message}", local.hint, findings
        )
    hint = f"Run `app convex check` to see why {schema} does not evaluate."
    return CheckResult("schema", Status.WARNING, f"drift not checked: {local.message}", hint)
