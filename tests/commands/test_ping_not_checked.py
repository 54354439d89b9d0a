"""Ping's schema step when the local schema cannot be had: said with its cause, in the words
check and codegen use (a functions folder named in convex.json is said with its line there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import run_app


@pytest.fixture
def answering(test_deployment: TestDeployment) -> TestDeployment:
    """A deployment whose health:ping answers (with any schema: drift is not reached)."""
    test_deployment.set_schema(json.dumps({"tables": [], "schemaValidation": True}))
    return test_deployment


def schema_step(cwd: Path, deployment: TestDeployment) -> tuple[int, dict[str, Any], str]:
    as_json = run_app("convex", "ping", "--url", deployment.url, "--timeout", "5", "--json", cwd=cwd)
    human = run_app("convex", "ping", "--url", deployment.url, "--timeout", "5", cwd=cwd)
    assert as_json.returncode == human.returncode, human.output
    schema = next(c for c in as_json.json()["checks"] if c["name"] == "schema")
    return human.returncode, schema, human.stdout


def test_a_functions_folder_convex_json_names_that_is_not_there(
    project: Path, answering: TestDeployment
) -> None:
    (project / "convex.json").write_text('{\n  "functions": "src/nope"\n}\n')

    code, schema, human = schema_step(project, answering)

    assert code == 0  # drift not checked is a warning: the deployment itself answered
    assert schema["status"] == "warning"
    assert (
        schema["message"]
        == 'drift not checked: convex.json sets functions to "src/nope", and src/nope does not exist'
    )
    assert schema["hint"] == (
        'Set "functions" in convex.json to the folder that holds your Convex functions and schema.ts, '
        "or put them in src/nope/."
    )
    assert schema["findings"] == [
        {
            "code": "layout/missing",
            "message": 'sets functions to "src/nope", and src/nope does not exist',
            "file": "convex.json",
            "line": 2,
            "severity": "warning",
        }
    ]
    assert "layout/missing  convex.json:2" in human
    assert "make setup" not in human and "node or node_modules" not in human


def test_a_missing_schema_ts_is_said_as_check_says_it(project: Path, answering: TestDeployment) -> None:
    (project / "convex" / "schema.ts").unlink()

    code, schema, _ = schema_step(project, answering)

    assert code == 0 and schema["status"] == "warning"
    assert schema["message"] == "drift not checked: convex/schema.ts does not exist"
    assert str(schema["hint"]).startswith("Restore convex/schema.ts from version control")
    assert [f["code"] for f in schema["findings"]] == ["layout/missing"]


def test_outside_a_project_the_advice_is_as_before(tmp_path: Path, answering: TestDeployment) -> None:
    code, schema, _ = schema_step(tmp_path, answering)

    assert code == 0
    assert schema["message"] == "drift not checked: no schema.ts, node or node_modules/convex here"
    assert str(schema["hint"]).startswith("Run ping from the project with `make setup` done")
    assert schema["findings"] == []
