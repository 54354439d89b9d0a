"""The warm evaluator answers as a cold Node run does, from one process kept alive; a schema
that loops or ends Node costs that request only."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from cli.services.convex.schema.evaluation import Evaluation, read_evaluation, start_evaluation
from cli.services.convex.schema.warm import WarmNode
from cli.services.convex.typegen.analysis import function_modules, read_analysis, start_analysis
from cli.services.project import Project, require_project
from tests.support.project import left_running, project_schema, write_schema

HEADER = 'import { defineSchema, defineTable } from "convex/server";\nimport { v } from "convex/values";\n'


def cold(project: Project) -> Evaluation:
    return read_evaluation(start_evaluation(project, "node", 30).finish(), 30, project)


def test_warm_answers_are_cold_answers_from_one_process(project: Path) -> None:
    app_project = require_project(project)
    warm = WarmNode(app_project, "node")
    try:
        first = warm.schema(30)
        pid = warm._proc.pid if warm._proc else None
        write_schema(project, project_schema().replace("bio: v.optional(v.string()),", "bio: v.string(),"))
        second = warm.schema(30)
        modules = function_modules(app_project)
        functions = warm.functions(modules, 30)

        assert warm._proc is not None and warm._proc.pid == pid  # the same Node answered both
        assert replace(second, seconds=0) == replace(cold(app_project), seconds=0)  # all but the time
        assert first.export != second.export
        assert second.locations["users"]["line"] == 5  # defineTable( of users, as schema.ts has it
        assert functions == read_analysis(
            app_project, start_analysis(app_project, "node", 30, modules), modules
        )
    finally:
        warm.close()
    assert left_running(str(project)) == []


def test_a_schema_that_loops_costs_its_request_only(project: Path) -> None:
    app_project = require_project(project)
    warm = WarmNode(app_project, "node")
    try:
        write_schema(project, HEADER + "while (true) {}\nexport default defineSchema({});\n")
        stuck = warm.schema(2)
        write_schema(project, project_schema())
        after = warm.schema(30)
    finally:
        warm.close()

    assert stuck.kind == "timeout" and "did not finish evaluating within 2 s" in stuck.message
    assert after.export is not None and len(after.export["tables"]) == 5
    assert left_running(str(project)) == []


def test_a_schema_that_ends_node_is_told_as_a_cold_run_tells_it(project: Path) -> None:
    app_project = require_project(project)
    write_schema(project, HEADER + "process.exit(0);\nexport default defineSchema({});\n")
    warm = WarmNode(app_project, "node")
    try:
        ended = warm.schema(30)
    finally:
        warm.close()

    assert (ended.kind, ended.message) == (
        "protocol",
        "node ended (exit code 0) without a result while evaluating convex/schema.ts",
    )
    assert ended == cold(app_project)


def test_close_removes_what_it_wrote(project: Path) -> None:
    warm = WarmNode(require_project(project), "node")
    folder = warm._folder
    warm.schema(30)
    warm.close()
    assert not os.path.exists(folder)
    assert left_running(str(project)) == []


def test_esbuild_rests_between_requests_never_during_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """esbuild's service is stopped when idle (serve.mjs), and a build under way when it is
    stopped never settles: a request that starts just before the rest must still be answered."""
    monkeypatch.setenv("APP_WARM_IDLE_MS", "50")
    rows = ",\n".join(f"  {{ name: 'n{i}', size: {i} }}" for i in range(60_000))
    (project / "convex" / "big.ts").write_text(f"export const rows = [\n{rows}\n];\n", encoding="utf-8")
    write_schema(project, 'import { rows } from "./big";\n' + project_schema() + "void rows;\n")
    warm = WarmNode(require_project(project), "node")
    try:
        first = warm.schema(30)
        second = warm.schema(10)  # bundling takes longer than the 50 ms rest that follows the first
    finally:
        warm.close()

    assert first.export is not None and second.export is not None, second.message
    assert left_running(str(project)) == []
