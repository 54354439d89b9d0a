"""`app convex codegen` as a command, and the check's models check: stale models are found, and
nothing of the user's is lost when they cannot be written."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, project_schema, run_app, write_schema

MODELS = Path("cli/services/convex/models")

# -- the command and the check ---------------------------------------------------------------


def test_a_schema_change_without_codegen_fails_the_check_and_codegen_check(project: Path) -> None:
    bio = "    bio: v.optional(v.string()),\n"
    write_schema(project, project_schema().replace(bio, bio + "    avatar: v.optional(v.string()),\n"))
    documents = project / MODELS / "documents.py"
    before = documents.read_bytes()

    check = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)
    stale = run_app("convex", "codegen", "--check", "--json", cwd=project)

    assert check.returncode == 1
    models = {c["name"]: c for c in check.json()["checks"]}["models"]
    assert models["status"] == "failed" and models["findings"][0]["code"] == "models/stale"
    assert models["hint"] == "Run `app convex codegen` to write it again, and commit it."  # one file
    assert stale.returncode == 1
    jsonschema.validate(stale.json(), OUTPUT_SCHEMA)
    assert documents.read_bytes() == before  # --check writes nothing

    written = run_app("convex", "codegen", cwd=project)
    again = run_app("convex", "codegen", cwd=project)

    assert written.returncode == 0 and "wrote cli/services/convex/models/documents.py" in written.stdout
    assert "    avatar: str | Unset = UNSET" in documents.read_text()
    assert again.returncode == 0 and "is current" in again.stdout  # a second run changes no byte
    assert run_app("convex", "check", "--no-typecheck", cwd=project).returncode == 0


def test_a_schema_that_does_not_evaluate_writes_nothing_and_says_where(project: Path) -> None:
    write_schema(project, project_schema() + "export const broken = ;\n")
    documents = project / MODELS / "documents.py"
    before = documents.read_bytes()

    result = run_app("convex", "codegen", cwd=project)

    assert result.returncode == 1, result.output
    assert "✘ schema      convex/schema.ts:" in result.stdout and 'Unexpected ";"' in result.stdout
    assert "→ Fix convex/schema.ts, then run codegen again" in result.stdout
    assert "Traceback" not in result.output
    assert documents.read_bytes() == before


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("a file in the folder's place", "cli/services/convex/models is not a folder"),
        ("a symlink loop in the folder's place", "cli/services/convex/models is not a folder"),
    ],
)
def test_models_that_cannot_be_written_are_named_and_nothing_is_lost(
    project: Path, where: str, reason: str
) -> None:
    bio = "    bio: v.optional(v.string()),\n"
    write_schema(project, project_schema().replace(bio, bio + "    avatar: v.optional(v.string()),\n"))
    folder = project / MODELS
    shutil.rmtree(folder)
    if where.startswith("a file"):
        folder.write_text("not a folder\n")
    else:
        folder.symlink_to(folder.name)

    result = run_app("convex", "codegen", cwd=project)

    assert result.returncode == 1, result.output
    assert f"cli/services/convex/models/documents.py could not be written: {reason}" in result.stdout
    assert "Make cli/services/convex/models/ a folder you can write to" in result.stdout
    assert "Traceback" not in result.output and "unexpectedly" not in result.output
    assert folder.is_symlink() or folder.read_text() == "not a folder\n"  # left as it was
    assert not [p for p in project.rglob("*.tmp") if not p.is_symlink()]


def test_check_and_ping_do_not_import_the_models_or_pydantic(project: Path) -> None:
    for args in (
        ["--help"],
        ["convex", "check", "--no-typecheck"],
        ["convex", "ping", "--url", "http://127.0.0.1:9"],
    ):
        argv = [sys.executable, "-P", "-X", "importtime", "-m", "cli", *args]
        result = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=60)
        imported = result.stderr
        assert "cli.services.convex.models" not in imported, args
        assert "pydantic" not in imported, args


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (
            lambda s: s.replace(
                "  prices: defineTable(",
                "  'user-settings': defineTable({ on: v.boolean() }),\n  prices: defineTable(",
            ),
            "user-settings",
        ),
        (
            lambda s: s.replace(
                "    bio: v.optional(v.string()),\n",
                "    bio: v.optional(v.string()),\n    '2fa': v.boolean(),\n",
            ),
            "2fa",
        ),
    ],
    ids=["table user-settings", "field 2fa"],
)
def test_a_schema_the_push_rules_reject_gets_no_models(project: Path, change: Any, finding: str) -> None:
    write_schema(project, change(project_schema()))
    folder = project / MODELS
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}

    result = run_app("convex", "codegen", "--json", cwd=project)

    assert result.returncode == 1, result.output
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["push rules"]["status"] == "failed"
    assert any(finding in f["message"] for f in checks["push rules"]["findings"])
    assert checks["models"]["status"] == "skipped"
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()} == before


def test_an_import_of_a_package_not_installed_names_the_package_and_the_install_command(
    project: Path,
) -> None:
    # Used, or TypeScript's rules let esbuild drop the import unresolved.
    write_schema(
        project, 'import { ms } from "itty-time";\nexport const day = ms("1 day");\n' + project_schema()
    )

    codegen = run_app("convex", "codegen", "--json", cwd=project)
    check = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    for result in (codegen, check):
        assert result.returncode == 1, result.output
        schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
        assert 'Could not resolve "itty-time": the package itty-time is not installed' in schema["message"]
        assert schema["hint"].startswith("Install it: `npm install itty-time`")
        assert schema["findings"][0]["code"] == "schema/missing-package"


def test_adding_a_table_changes_only_that_tables_lines(project: Path) -> None:
    documents = project / MODELS / "documents.py"
    before = documents.read_text().splitlines()
    write_schema(
        project,
        project_schema().replace(
            "  prices: defineTable(", "  alerts: defineTable({ level: v.number() }),\n  prices: defineTable("
        ),
    )
    assert run_app("convex", "codegen", cwd=project).returncode == 0
    after = documents.read_text().splitlines()

    added = [line for line in difflib.ndiff(before, after) if line.startswith("+ ")]
    removed = [line for line in difflib.ndiff(before, after) if line.startswith("- ")]
    assert removed == []
    generic = ("@dataclass(frozen=True, kw_only=True)", "@overload", "_creationTime: float | None = None")
    named = [line for line in added if any(c.isalpha() for c in line) and line[2:].strip() not in generic]
    assert all("alerts" in line.lower() or "level" in line for line in named), added
    assert 3 < len(added) < 40


def test_a_package_missing_its_own_dependency_is_named_with_the_install_command(project: Path) -> None:
    # node_modules as npm leaves it when a package's dependency is missing: the real
    # packages, and one whose entry imports a package that is not there.
    shared = (project / "node_modules").resolve()
    (project / "node_modules").unlink()
    (project / "node_modules").mkdir()
    for entry in shared.iterdir():
        (project / "node_modules" / entry.name).symlink_to(entry)
    package = project / "node_modules" / "needs-dep"
    package.mkdir()
    (package / "package.json").write_text('{"name": "needs-dep", "version": "1.0.0", "main": "index.js"}')
    (package / "index.js").write_text('export { value } from "absent-dep";\n')
    write_schema(project, 'import { value } from "needs-dep";\nexport const v2 = value;\n' + project_schema())

    result = run_app("convex", "codegen", "--json", cwd=project)

    assert result.returncode == 1, result.output
    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert "node_modules/needs-dep/index.js" in schema["message"]
    assert "the package needs-dep needs absent-dep, which is not installed" in schema["message"]
    assert schema["hint"].startswith("Install it: `npm install absent-dep` (or reinstall needs-dep")


@pytest.mark.parametrize("module", ["https", "diagnostics_channel", "node:fs"])
def test_a_node_built_in_is_named_as_one_not_as_a_package_to_install(project: Path, module: str) -> None:
    write_schema(project, f'import * as m from "{module}";\nexport const used = m;\n' + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    schema = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert f'Could not resolve "{module}": a Node built-in module' in schema["message"]
    assert "npm install" not in schema["hint"] and "no Node built-in modules" in schema["hint"]
