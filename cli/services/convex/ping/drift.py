"""Ping's schema step: the schema the deployment runs (as `health:ping` returns it) against the
local schema.ts, every table, field and index that differs named."""

from __future__ import annotations

import json

from cli.services.convex.ping.health import HEALTH_FUNCTION, PUSH_HINT
from cli.services.convex.schema.evaluation import Evaluation
from cli.services.convex.schema.model import Labels, SchemaModel, compare
from cli.shared.report import CheckResult, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject

SCHEMA_FILE = "schema.ts"  # named with its folder when the project is known


def drift_result(deployed: JsonObject | None, local: Evaluation | None, schema: str | None) -> CheckResult:
    """`deployed`: what health:ping returned (None when it did not answer); `local`: the local
    export, None where it could not be had (no project, node or convex); `schema`: its file."""
    if deployed is None:
        return CheckResult("schema", Status.SKIPPED, f"needs {HEALTH_FUNCTION} to answer")
    schema = schema or SCHEMA_FILE
    if local is None or local.export is None:
        why = local.message if local else f"no {schema}, node or node_modules/convex here"
        if local is None:
            hint = "Run ping from the project with `make setup` done, so the local schema can be evaluated."
        elif local.kind == "missing" and local.hint:  # a folder or file to restore, said as such
            hint = local.hint
        else:
            hint = f"Run `app convex check` to see why {schema} does not evaluate."
        return CheckResult("schema", Status.WARNING, f"drift not checked: {why}", hint)
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
