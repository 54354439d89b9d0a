"""Many schema.ts texts through the check's own evaluator in one Node process, then the
check's schema, push-rule, contract and models checks in-process: what `app convex check`
says of each, at a fraction of the cost of one check per schema."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Mapping
from pathlib import Path

from cli.services.convex.evaluation import read_evaluations, start_evaluation
from cli.services.convex.report import CheckResult
from cli.services.convex.schema_checks import schema_checks
from cli.services.project import load_project
from tests.support.project import copy_project

TIMEOUT = 120.0


def check_schemas(folder: Path, schemas: Mapping[str, str]) -> dict[str, dict[str, CheckResult]]:
    """Each schema (name -> schema.ts text) evaluated and checked as the project's own
    schema would be; the results by schema name, then by check name. `folder` must be new."""
    project = load_project(copy_project(folder / "project"))
    files = {}
    for number, (name, text) in enumerate(schemas.items()):
        case = project.root / "cases" / f"case{number:04d}"
        case.mkdir(parents=True)
        (case / "schema.ts").write_text(text, encoding="utf-8")
        files[name] = f"cases/{case.name}/schema.ts"
    node = shutil.which("node")
    assert node is not None

    done = start_evaluation(project, node, TIMEOUT, list(files.values())).finish()
    evaluations = read_evaluations(done, TIMEOUT, list(files.values()))

    results = {}
    for (name, file), evaluation in zip(files.items(), evaluations, strict=True):
        case_project = dataclasses.replace(project, functions=file.removesuffix("/schema.ts"))
        results[name] = {check.name: check for check in schema_checks(case_project, evaluation, {})}
    return results
