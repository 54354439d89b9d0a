"""Many schema.ts texts through the check's own evaluator in one Node process, then the
check's schema, push-rule, contract and models checks in-process: what `app convex check`
says of each, at a fraction of the cost of one check per schema."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Mapping
from pathlib import Path

from cli.services.convex.check.schema import schema_checks
from cli.services.convex.schema.evaluation import Evaluation, evaluation_of, helper
from cli.services.project import Project, load_project
from cli.shared.process import Bounded
from cli.shared.report import CheckResult
from tests.support.project import copy_project

TIMEOUT = 120.0


def evaluate_schemas(folder: Path, schemas: Mapping[str, str]) -> tuple[Project, dict[str, Evaluation]]:
    """Each schema (name -> schema.ts text) evaluated in one Node run, as the project's own
    schema would be; `folder` must be new."""
    project = load_project(copy_project(folder / "project"))
    # The cases are about their schemas: none has models to compare (that row is skipped).
    shutil.rmtree(project.root / "cli" / "services" / "convex" / "models")
    files = {}
    for number, (name, text) in enumerate(schemas.items()):
        case = project.root / "cases" / f"case{number:04d}"
        case.mkdir(parents=True)
        (case / "schema.ts").write_text(text, encoding="utf-8")
        files[name] = f"cases/{case.name}/schema.ts"
    node = shutil.which("node")
    assert node is not None

    # The evaluator takes several schemas in one run; the app gives it one.
    argv = [node, helper(), str(project.root), *files.values()]
    done = Bounded(argv, cwd=project.root, timeout=TIMEOUT, result_file=True).finish()
    assert isinstance(done.result, dict) and len(done.result["results"]) == len(files), done.stderr[-2000:]
    node_version = done.result["node"]
    evaluations = {
        name: evaluation_of(r, f, node_version, project.root)
        for (name, f), r in zip(files.items(), done.result["results"], strict=True)
    }
    return project, evaluations


def check_schemas(folder: Path, schemas: Mapping[str, str]) -> dict[str, dict[str, CheckResult]]:
    """Each schema (name -> schema.ts text) evaluated and checked as the project's own
    schema would be; the results by schema name, then by check name. `folder` must be new."""
    project, evaluations = evaluate_schemas(folder, schemas)
    results = {}
    for number, (name, evaluation) in enumerate(evaluations.items()):
        case_project = dataclasses.replace(project, functions=f"cases/case{number:04d}")
        results[name] = {check.name: check for check in schema_checks(case_project, evaluation, {}, 30.0)}
    return results
