"""The toolchain check tells the truth: package.json's pin, and a `node` that really is Node.

Each failure exits 3, names the file or program that is wrong, and says how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, app_env, run_app


def rewrite_package(project: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = project / "package.json"
    package = json.loads(path.read_text())
    change(package)
    path.write_text(json.dumps(package, indent=2))  # "convex" on line 10, as in the project's


def pin(value: object) -> Callable[[Path], None]:
    def spoil(project: Path) -> None:
        rewrite_package(project, lambda package: package["dependencies"].__setitem__("convex", value))

    return spoil


def drop_convex(project: Path) -> None:
    rewrite_package(project, lambda package: package["dependencies"].pop("convex"))


PIN = 'Pin one version in package.json ("convex": "1.48.0"), then run `npm install`.'


@dataclass(frozen=True)
class Case:
    spoil: Callable[[Path], object]
    code: str
    message: str
    hint: str
    line: int | None = None
    column: int | None = None


# Each way package.json fails: its own code, its own message, and the one advice that fits it.
CASES: dict[str, Case] = {
    "missing": Case(
        lambda p: (p / "package.json").unlink(),
        "toolchain/missing",
        "package.json is missing in {root}",
        'Restore package.json from version control, or create one whose dependencies pin "convex": '
        '"1.48.0"; then run `make setup`.',
    ),
    "unparsable": Case(
        lambda p: (p / "package.json").write_text('{\n  "name": "app",\n}\n'),
        "toolchain/package-json-invalid",
        "package.json is not valid JSON: line 3 column 1: expecting property name enclosed in double quotes",
        "Correct line 3, column 1 of package.json so that it is valid JSON.",
        3,
        1,
    ),
    "a byte order mark": Case(
        lambda p: (p / "package.json").write_text('\ufeff{"dependencies": {"convex": "1.48.0"}}'),
        "toolchain/package-json-invalid",
        "package.json starts with a byte order mark (BOM), which npm and Node refuse",
        "Save package.json as UTF-8 without a byte order mark.",
    ),
    "not UTF-8": Case(
        lambda p: (p / "package.json").write_bytes(b'{"name": "caf\xe9"}'),
        "toolchain/package-json-invalid",
        "package.json is not UTF-8 text",
        "Save package.json as UTF-8 text.",
    ),
    "not an object": Case(
        lambda p: (p / "package.json").write_text("[]"),
        "toolchain/package-json-invalid",
        "package.json does not hold a JSON object",
        'Make package.json a JSON object: { "dependencies": { "convex": "..." } }.',
    ),
    "no convex": Case(
        drop_convex,
        "toolchain/pin-missing",
        "package.json does not list convex in its dependencies",
        'Add "convex": "1.48.0" to the dependencies in package.json, then run `npm install`.',
    ),
    "a number": Case(
        pin(148), "toolchain/pin-invalid", "package.json gives convex as 148, not a version string", PIN, 10
    ),
    "a path": Case(
        pin("file:../convex"),
        "toolchain/pin-invalid",
        'package.json asks for convex from "file:../convex", not a version of the npm package',
        PIN,
        10,
    ),
    "a range": Case(
        pin("^1.48.0"),
        "toolchain/pin-range",
        'package.json asks for convex "^1.48.0", a range rather than one exact version',
        PIN,
        10,
    ),
    "a tag": Case(
        pin("latest"),
        "toolchain/pin-range",
        'package.json asks for convex "latest", a tag that moves with each release rather than one '
        "exact version",
        PIN,
        10,
    ),
    "another version": Case(
        pin("1.47.0"),
        "toolchain/pin-mismatch",
        "convex 1.48.0 is installed but package.json pins 1.47.0",
        "Run `npm install` to install convex 1.47.0 (it updates package-lock.json), or pin "
        '"convex": "1.48.0" in package.json again if 1.47.0 was not meant.',
        10,
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_way_package_json_fails_has_its_code_and_one_hint(project: Path, case: str) -> None:
    expected = CASES[case]
    expected.spoil(project)

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project / "convex")

    assert result.returncode == 3, result.output
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["project"] == str(project)  # found although package.json is broken
    checks = {c["name"]: c for c in document["checks"]}
    toolchain = checks["toolchain"]
    message = expected.message.format(root=project)
    assert (toolchain["status"], toolchain["message"], toolchain["hint"]) == (
        "failed",
        message,
        expected.hint,
    )
    where = {"file": "package.json", "line": expected.line, "column": expected.column}
    finding: dict[str, object] = {"code": expected.code, "message": message, "severity": "error"}
    finding.update({key: value for key, value in where.items() if value is not None})
    assert toolchain["findings"] == [finding]
    # A package.json esbuild cannot read either is said once, by the toolchain check.
    assert checks["schema"]["status"] != "failed", checks["schema"]


def test_a_pin_the_lockfile_holds_too_is_installed_by_make_setup(project: Path) -> None:
    """Pulled: package.json and package-lock.json pin another version than node_modules has."""
    pin("1.47.0")(project)
    lock = json.loads((project / "package-lock.json").read_text())
    lock["packages"]["node_modules/convex"]["version"] = "1.47.0"
    (project / "package-lock.json").write_text(json.dumps(lock))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    toolchain = {c["name"]: c for c in result.json()["checks"]}["toolchain"]
    assert result.returncode == 3
    assert toolchain["findings"][0]["code"] == "toolchain/pin-mismatch"
    assert toolchain["hint"] == (
        "Run `make setup`: it installs convex 1.47.0, as package.json and package-lock.json pin it."
    )


@pytest.mark.parametrize("exact", ["1.48.0", "=1.48.0", "v1.48.0"])
def test_one_exact_version_passes_however_npm_lets_it_be_written(project: Path, exact: str) -> None:
    pin(exact)(project)

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    toolchain = {c["name"]: c for c in result.json()["checks"]}["toolchain"]
    assert (result.returncode, toolchain["status"], toolchain["findings"]) == (0, "passed", [])


def test_an_unparsable_package_json_is_said_once_in_the_human_output(project: Path) -> None:
    (project / "package.json").write_text('{\n  "dependencies": {"convex": "1.48.0",}\n}\n')

    result = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[2:5] == [
        "  ✘ toolchain    package.json is not valid JSON: line 2 column 39: expecting property name "
        "enclosed in double quotes",
        "      toolchain/package-json-invalid  package.json:2:39",
        "      → Correct line 2, column 39 of package.json so that it is valid JSON.",
    ]
    assert "make setup" not in result.stdout and "Pin" not in result.stdout
    # esbuild stumbles on it too: the schema's checks wait for it rather than say it again
    assert lines[5] == "  - schema       needs a package.json that parses"


def test_human_output_names_package_json_once_with_the_fix(project: Path) -> None:
    pin("^1.48.0")(project)

    result = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 3
    assert "✘ toolchain" in result.stdout
    assert "(pinned)" not in result.stdout
    assert "toolchain/pin-range  package.json:10" in result.stdout
    assert '"convex": "1.48.0"' in result.stdout


@pytest.mark.parametrize(
    ("script", "name"),
    [
        ("#!/bin/sh\necho 'hello from a fake node'\n", "fake"),
        ("#!/bin/sh\nexit 1\n", "failing"),
    ],
)
def test_a_node_that_is_not_node_fails_with_its_path(
    project: Path, tmp_path: Path, script: str, name: str
) -> None:
    bin_dir = tmp_path / f"{name}-bin"
    bin_dir.mkdir()
    fake = bin_dir / "node"
    fake.write_text(script)
    fake.chmod(0o755)
    env = app_env(PATH=f"{bin_dir}:/usr/bin:/bin")

    result = run_app("convex", "check", "--json", cwd=project, env=env)

    assert result.returncode == 3, result.output
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["toolchain"]["status"] == "failed"
    assert checks["toolchain"]["message"] == f"{fake} does not answer `node --version` as Node.js does"
    assert "Node.js 20" in checks["toolchain"]["hint"]
    # What needs node is skipped, not blamed on the schema.
    assert checks["schema"]["status"] == "skipped" and checks["types"]["status"] == "skipped"


def test_dev_refuses_a_node_that_is_not_node(project: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    (bin_dir / "node").write_text("#!/bin/sh\necho nope\n")
    (bin_dir / "node").chmod(0o755)

    result = run_app("convex", "dev", cwd=project, env=app_env(PATH=f"{bin_dir}:/usr/bin:/bin"))

    assert result.returncode == 3
    assert (
        result.stderr.splitlines()[0]
        == f"error: {bin_dir / 'node'} does not answer `node --version` as Node.js does"
    )
