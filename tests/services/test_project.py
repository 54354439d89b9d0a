"""Which folder is the project, found as the pinned Convex CLI would see it, from anywhere inside.

The Convex CLI takes the folder whose package.json lists `convex` for the project and reads
its functions folder from convex.json's `functions`; folders on the way up with their own
package.json or `convex/` are not projects.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import REPO, copy_project, project_schema, run_app, schema_export
from tests.support.standin import copy_project_with_standin_cli


@pytest.mark.parametrize(
    "folder", ["cli/services/convex", "cli/services", "node_modules/convex/dist", "convex", "tests/support"]
)
def test_inner_folders_of_this_repository_find_its_root(folder: str) -> None:
    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=REPO / folder)

    assert result.json()["project"] == str(REPO), result.output
    assert result.returncode == 0, result.output


def test_nested_package_without_convex_is_passed_over(project: Path) -> None:
    inner = project / "web" / "src"
    inner.mkdir(parents=True)
    (project / "web" / "package.json").write_text('{"name": "web", "dependencies": {"react": "19.0.0"}}')
    (project / "web" / "convex").mkdir()  # a folder named convex is not a project either

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=inner)

    assert result.json()["project"] == str(project), result.output
    assert result.returncode == 0, result.output


def test_nested_package_that_depends_on_convex_is_its_own_project(tmp_path: Path) -> None:
    outer = tmp_path / "monorepo"
    outer.mkdir()
    (outer / "package.json").write_text('{"name": "monorepo", "private": true}')
    backend = copy_project(outer / "apps" / "backend")

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=backend / "convex")

    assert result.json()["project"] == str(backend), result.output


def move_functions(project: Path, folder: str) -> None:
    """Make `folder` the functions folder, as convex.json says."""
    target = project / folder
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(project / "convex", target)
    (project / "convex.json").write_text(json.dumps({"functions": f"{folder}/"}))


def test_check_honours_a_custom_functions_folder(project: Path) -> None:
    move_functions(project, "src/backend")
    assert run_app("convex", "codegen", cwd=project / "src").returncode == 0  # names the new folder

    result = run_app("convex", "check", "--json", cwd=project / "src")

    document = result.json()
    assert result.returncode == 0, result.output
    assert document["project"] == str(project)
    messages = {c["name"]: c["message"] for c in document["checks"]}
    assert messages["schema"].startswith("src/backend/schema.ts evaluates")
    assert messages["types"] == "tsc --noEmit -p src/backend: no errors"
    assert "src/backend/tsconfig.json" in messages["layout"]


def test_custom_functions_folder_errors_name_its_files(project: Path) -> None:
    move_functions(project, "backend")
    schema = project / "backend" / "schema.ts"
    schema.write_text(
        project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    rules = {c["name"]: c for c in result.json()["checks"]}["push rules"]
    assert result.returncode == 1
    assert "backend/schema.ts" in rules["hint"]


def test_ping_compares_the_custom_functions_folder(project: Path, test_deployment: TestDeployment) -> None:
    move_functions(project, "backend")
    deployed = schema_export(project, "backend/schema.ts")
    prices = next(t for t in deployed["tables"] if t["tableName"] == "prices")
    prices["indexes"] = []
    test_deployment.set_schema(json.dumps(deployed))

    result = run_app("convex", "ping", "--json", "--timeout", "5", "--url", test_deployment.url, cwd=project)

    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert schema["status"] == "failed", schema
    assert schema["message"].startswith("the deployed schema differs from backend/schema.ts")
    assert [(f["code"], f["index"]) for f in schema["findings"]] == [("drift/missing-index", "by_symbol")]


def test_dev_preflight_checks_the_custom_functions_folder(tmp_path: Path) -> None:
    from tests.support.standin import standin_env, standin_log

    standin = copy_project_with_standin_cli(tmp_path / "standin")
    move_functions(standin, "backend")
    bad = project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    (standin / "backend" / "schema.ts").write_text(bad)

    result = run_app("convex", "dev", cwd=standin / "backend", env=standin_env(standin))

    assert result.returncode == 1, result.output
    assert "push/reserved-index" in result.stdout
    assert "Change what each finding names in backend/schema.ts" in result.stdout
    assert standin_log(standin) == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("{", "convex.json is not valid JSON"),
        ("[]", "convex.json does not hold a JSON object"),
        ('{"functions": 5}', '"functions" in convex.json is 5, not a folder path'),
    ],
)
def test_a_broken_convex_json_is_named(project: Path, config: str, message: str) -> None:
    (project / "convex.json").write_text(config)

    result = run_app("convex", "check", cwd=project)

    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {message}"), lines
    assert lines[1].startswith("hint: Fix convex.json"), lines
    assert "Traceback" not in result.output


# -- a functions folder that is not there: one finding, naming where its name came from ------


def test_a_convex_json_folder_that_does_not_exist_is_said_once_naming_convex_json(project: Path) -> None:
    (project / "convex.json").write_text('{\n  "functions": "src/backend/"\n}\n')

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    checks = {c["name"]: c for c in result.json()["checks"]}
    layout = checks["layout"]
    message = 'convex.json sets functions to "src/backend/", and src/backend does not exist'
    assert layout["message"] == message
    assert layout["hint"] == (
        'Set "functions" in convex.json to the folder that holds your Convex functions and schema.ts, '
        "or put them in src/backend/."
    )
    assert layout["findings"] == [
        {
            "code": "layout/missing",
            "message": 'sets functions to "src/backend/", and src/backend does not exist',
            "file": "convex.json",
            "line": 2,
            "severity": "error",
        }
    ]
    assert checks["schema"]["status"] == "skipped"

    human = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert human.returncode == 1
    said = [line for line in human.stdout.splitlines() if "src/backend" in line and "needs" not in line]
    assert said == [
        f"  ✘ layout       {message}",
        '      → Set "functions" in convex.json to the folder that holds your Convex functions and '
        "schema.ts, or put them in src/backend/.",
    ], human.stdout
    assert "      layout/missing  convex.json:2" in human.stdout


def test_a_convex_json_folder_that_is_a_file_is_not_a_folder(project: Path) -> None:
    (project / "convex.json").write_text(json.dumps({"functions": "package.json"}))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    layout = {c["name"]: c for c in result.json()["checks"]}["layout"]
    assert (
        layout["message"] == 'convex.json sets functions to "package.json", and package.json is not a folder'
    )
    assert [f["code"] for f in layout["findings"]] == ["layout/not-a-folder"]
    assert "put them in" not in layout["hint"]


def test_the_default_functions_folder_missing_is_said_once(project: Path) -> None:
    shutil.rmtree(project / "convex")
    (project / ".env.example").unlink()

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    layout = {c["name"]: c for c in result.json()["checks"]}["layout"]
    assert layout["message"] == "the functions folder convex/ does not exist; .env.example missing"
    assert [(f["code"], f["file"]) for f in layout["findings"]] == [
        ("layout/missing", "convex"),
        ("layout/missing", ".env.example"),
    ]
    assert layout["hint"].startswith("Restore convex/ (schema.ts, tsconfig.json and your functions)")


def test_files_missing_from_an_existing_folder_are_each_named(project: Path) -> None:
    (project / "convex" / "tsconfig.json").unlink()
    (project / ".env.example").unlink()

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    layout = {c["name"]: c for c in result.json()["checks"]}["layout"]
    assert layout["message"] == "convex/tsconfig.json missing; .env.example missing"
    assert layout["hint"] == (
        "Restore convex/tsconfig.json and .env.example from version control "
        "(`npx convex dev` writes convex/tsconfig.json when there is none)."
    )


def test_codegen_names_the_convex_json_folder_not_esbuild(project: Path) -> None:
    (project / "convex.json").write_text(json.dumps({"functions": "src/backend"}))

    result = run_app("convex", "codegen", "--json", cwd=project)

    assert result.returncode == 1, result.output
    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert schema["message"] == 'convex.json sets functions to "src/backend", and src/backend does not exist'
    assert schema["findings"][0]["file"] == "convex.json"
    assert "None" not in schema["message"] and "npm install" not in (schema["hint"] or "")


def test_codegen_names_a_missing_schema_ts(project: Path) -> None:
    (project / "convex" / "schema.ts").unlink()

    result = run_app("convex", "codegen", "--json", cwd=project)

    assert result.returncode == 1, result.output
    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert schema["message"] == "convex/schema.ts does not exist"
    assert schema["findings"][0]["code"] == "layout/missing"
