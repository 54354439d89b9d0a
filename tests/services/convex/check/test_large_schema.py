"""Schemas of any size reach the check whole, and a helper that ends early is named as such."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from tests.support.large_schema import large_schema
from tests.support.project import (
    OUTPUT_SCHEMA,
    project_schema,
    run_app,
    schema_export,
    write_schema,
)

PIPE_LIMIT = 64 * 1024  # Node cuts piped output at this size when a process exits right after writing


def test_85_tables_of_12_fields_pass_every_check(project: Path) -> None:
    write_schema(project, large_schema(85, 12))
    assert len(str(schema_export(project))) > PIPE_LIMIT  # large enough to have been cut before
    assert run_app("convex", "codegen", cwd=project).returncode == 0  # models of this schema

    # It failed some of the time: every run must pass (the type check, slow on a schema
    # this size and unrelated to the failure, runs once).
    for args in ([], ["--no-typecheck"], ["--no-typecheck"]):
        result = run_app("convex", "check", "--json", *args, cwd=project)

        assert result.returncode == 0, result.output
        document = result.json()
        jsonschema.validate(document, OUTPUT_SCHEMA)
        assert document["summary"]["failed"] == 0 and document["summary"]["warnings"] == 0, document
        schema = {c["name"]: c for c in document["checks"]}["schema"]
        assert schema["message"] == "convex/schema.ts evaluates: 90 tables, 174 indexes, 85 search indexes"


@pytest.mark.parametrize("code", [0, 3])
def test_a_schema_that_ends_node_is_not_called_a_crash_with_exit_0(project: Path, code: int) -> None:
    write_schema(project, f"process.exit({code});\n" + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    if code == 0:
        assert (
            schema["message"] == "node ended (exit code 0) without a result while evaluating convex/schema.ts"
        )
        assert schema["findings"][0]["code"] == "schema/protocol"
        assert "process.exit()" in schema["hint"]
    else:
        assert schema["message"] == "node crashed while evaluating convex/schema.ts: exit code 3"
        assert schema["findings"][0]["code"] == "schema/crash"


def test_stray_output_of_any_size_does_not_disturb_the_result(project: Path) -> None:
    noise = 'console.log("x".repeat(200000));\nprocess.stdout.write("y".repeat(200000));\n'
    write_schema(project, noise + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0, result.output[-2000:]
