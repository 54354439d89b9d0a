"""`app convex check` end to end: the real CLI process on temporary copies of the project."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, app_env, copy_project, project_schema, run_app, write_schema


def checks_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in document["checks"]}


def test_the_project_passes_every_check(project: Path) -> None:
    result = run_app("convex", "check", cwd=project)

    assert result.returncode == 0, result.output
    assert "8/8 checks passed" in result.stdout
    for name in ("layout", "toolchain", "schema", "push rules", "contract", "models", "types", "env example"):
        assert name in result.stdout
    assert result.stderr == ""


def test_json_report_matches_the_documented_shape(project: Path) -> None:
    result = run_app("convex", "check", "--json", cwd=project)

    assert result.returncode == 0
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["ok"] is True and document["exit_code"] == 0
    assert document["summary"] == {"passed": 8, "failed": 0, "warnings": 0, "skipped": 0, "total": 8}
    assert [c["name"] for c in document["checks"]] == [
        "layout",
        "toolchain",
        "schema",
        "push rules",
        "contract",
        "models",
        "types",
        "env example",
    ]


def test_json_report_on_failure_matches_the_documented_shape(project: Path) -> None:
    write_schema(project, project_schema().replace('.index("by_wallet", ["wallet_address"])', ""))

    result = run_app("convex", "check", "--json", cwd=project)

    assert result.returncode == 1
    document = result.json()  # stdout is exactly one JSON document
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["ok"] is False and document["exit_code"] == 1
    assert document["summary"]["failed"] == 1
    contract = checks_of(document)["contract"]
    assert contract["hint"] and contract["findings"][0]["index"] == "by_wallet"


def test_type_error_is_reported_with_file_and_line(project: Path) -> None:
    schema = project_schema() + '\nexport const answer: number = "forty-two";\n'
    write_schema(project, schema)
    line = schema.count("\n", 0, schema.index("export const answer")) + 1

    result = run_app("convex", "check", "--json", cwd=project)

    assert result.returncode == 1
    types = checks_of(result.json())["types"]
    assert types["status"] == "failed"
    finding = types["findings"][0]
    assert finding["file"] == "convex/schema.ts" and finding["line"] == line
    assert finding["code"] == "types/TS2322"
    assert checks_of(result.json())["schema"]["status"] == "passed"


def test_type_error_in_human_output(project: Path) -> None:
    write_schema(project, project_schema() + '\nexport const answer: number = "forty-two";\n')

    result = run_app("convex", "check", cwd=project)

    assert result.returncode == 1
    assert "convex/schema.ts:" in result.stdout and "TS2322" in result.stdout
    assert "7/8 checks passed" in result.stdout


def test_no_typecheck_skips_tsc(project: Path) -> None:
    write_schema(project, project_schema() + '\nexport const answer: number = "forty-two";\n')

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0
    assert checks_of(result.json())["types"]["status"] == "skipped"


def test_node_missing_from_path_exits_3(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()

    result = run_app("convex", "check", cwd=project, env=app_env(PATH=str(empty)))

    assert result.returncode == 3, result.output
    assert "node is not on PATH" in result.stdout
    assert "Install Node.js" in result.stdout
    assert "Traceback" not in result.output


def test_node_missing_from_path_json(project: Path, tmp_path: Path) -> None:
    result = run_app("convex", "check", "--json", cwd=project, env=app_env(PATH=str(tmp_path)))

    assert result.returncode == 3
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["exit_code"] == 3
    assert checks_of(document)["schema"]["status"] == "skipped"


def test_node_modules_missing_exits_3_with_setup_hint(tmp_path: Path) -> None:
    bare = copy_project(tmp_path / "bare", node_modules=False)

    result = run_app("convex", "check", cwd=bare)

    assert result.returncode == 3, result.output
    assert "node_modules/convex is not installed" in result.stdout
    assert "make setup" in result.stdout


def test_convex_not_matching_the_pin_exits_3(project: Path) -> None:
    package = json.loads((project / "package.json").read_text())
    package["dependencies"]["convex"] = "1.47.0"
    (project / "package.json").write_text(json.dumps(package))

    result = run_app("convex", "check", "--json", cwd=project)

    assert result.returncode == 3
    toolchain = checks_of(result.json())["toolchain"]
    assert "1.48.0 is installed but package.json pins 1.47.0" in toolchain["message"]
    assert toolchain["findings"][0]["code"] == "toolchain/pin-mismatch"
    # The lockfile still holds 1.48.0, so `make setup` (npm ci) would not install the pin.
    assert "npm install" in toolchain["hint"]


def test_missing_layout_files_fail_and_skip_what_needs_them(project: Path) -> None:
    (project / "convex" / "tsconfig.json").unlink()

    result = run_app("convex", "check", "--json", cwd=project)

    assert result.returncode == 1
    checks = checks_of(result.json())
    assert checks["layout"]["status"] == "failed"
    assert "convex/tsconfig.json" in checks["layout"]["message"]
    assert checks["types"]["status"] == "skipped"
    assert checks["schema"]["status"] == "passed"


def test_a_directory_that_is_no_project(tmp_path: Path) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()

    result = run_app("convex", "check", cwd=empty)
    as_json = run_app("convex", "check", "--json", cwd=empty)

    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"error: no Convex project in {empty} or any folder above it",
        "hint: Run it inside the project: the folder whose package.json lists convex, or one below it.",
    ]
    assert as_json.returncode == 3
    jsonschema.validate(as_json.json(), OUTPUT_SCHEMA)
    assert as_json.json()["error"]["code"] == "config"


def test_runs_from_a_subdirectory(project: Path) -> None:
    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project / "convex")

    assert result.returncode == 0
    assert result.json()["project"] == str(project)


def test_env_example_without_convex_url_fails(project: Path) -> None:
    text = (project / ".env.example").read_text()
    (project / ".env.example").write_text(text.replace("CONVEX_URL=\n", ""))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    env = checks_of(result.json())["env example"]
    assert env["status"] == "failed"
    assert env["findings"][0] == {
        "code": "env/missing",
        "message": "CONVEX_URL is not listed (what it is: URL of the Convex deployment the app's "
        "client and `app convex ping` talk to; who sets it: `npx convex dev` (via `app convex dev`) "
        "writes it to .env.local; set it yourself for a deployment you did not start)",
        "file": ".env.example",
        "severity": "error",
    }


def test_env_example_variable_without_comment_is_a_warning(project: Path) -> None:
    text = (project / ".env.example").read_text()
    lines = text.splitlines(keepends=True)
    at = lines.index("CONVEX_DEPLOYMENT=\n")
    del lines[at - 2 : at]  # its two comment lines
    (project / ".env.example").write_text("".join(lines))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0
    env = checks_of(result.json())["env example"]
    assert env["status"] == "warning"
    assert env["findings"][0]["code"] == "env/undocumented"
    assert env["findings"][0]["line"] == at - 1


@pytest.mark.parametrize("args", [["--timeout", "0"], ["--timeout", "soon"], ["--no-such-flag"]])
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    result = run_app("convex", "check", *args, cwd=project)

    assert result.returncode == 2
    assert "Traceback" not in result.output


def test_version_and_help(project: Path) -> None:
    version = run_app("--version", cwd=project)
    assert version.returncode == 0 and version.stdout.startswith("app ")

    root_help = run_app("--help", cwd=project)
    assert root_help.returncode == 0 and "convex" in root_help.stdout

    convex_help = run_app("convex", "--help", cwd=project)
    assert convex_help.returncode == 0 and "check" in convex_help.stdout

    check_help = run_app("convex", "check", "--help", cwd=project)
    assert check_help.returncode == 0 and "--no-typecheck" in check_help.stdout


def test_installed_console_script_runs(project: Path) -> None:
    import subprocess
    import sys

    app = Path(sys.executable).with_name("app")
    assert app.exists(), "the package's console script is not installed"
    proc = subprocess.run(
        [str(app), "convex", "check", "--json", "--no-typecheck"],
        cwd=project,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] is True
    assert os.path.basename(app) == "app"
