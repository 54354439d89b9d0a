"""The toolchain check tells the truth: package.json's pin, and a `node` that really is Node.

Each failure exits 3, names the file or program that is wrong, and says how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, app_env, run_app


def rewrite_package(project: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = project / "package.json"
    package = json.loads(path.read_text())
    change(package)
    path.write_text(json.dumps(package))


def drop_convex(package: dict[str, Any]) -> None:
    del package["dependencies"]["convex"]


def range_pin(package: dict[str, Any]) -> None:
    package["dependencies"]["convex"] = "^1.48.0"


def other_pin(package: dict[str, Any]) -> None:
    package["dependencies"]["convex"] = "1.47.0"


CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "missing": (lambda p: (p / "package.json").unlink(), "package.json is missing in"),
    "unparsable": (
        lambda p: (p / "package.json").write_text('{ "name": "app", '),
        "package.json cannot be used: it is not valid JSON",
    ),
    "not an object": (
        lambda p: (p / "package.json").write_text("[]"),
        "package.json cannot be used: it does not hold a JSON object",
    ),
    "no convex": (
        lambda p: rewrite_package(p, drop_convex),
        "package.json does not list convex in its dependencies",
    ),
    "a range": (
        lambda p: rewrite_package(p, range_pin),
        "package.json asks for convex '^1.48.0', a range rather than one exact version",
    ),
    "another version": (
        lambda p: rewrite_package(p, other_pin),
        "convex 1.48.0 is installed but package.json pins 1.47.0",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_package_json_that_does_not_pin_convex_fails(project: Path, case: str) -> None:
    spoil, message = CASES[case]
    spoil(project)

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project / "convex")

    assert result.returncode == 3, result.output
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["project"] == str(project)  # found although package.json is broken
    toolchain = {c["name"]: c for c in document["checks"]}["toolchain"]
    assert toolchain["status"] == "failed"
    assert toolchain["message"].startswith(message), toolchain
    assert "package.json" in toolchain["hint"] and '"convex": "1.48.0"' in toolchain["hint"], toolchain
    assert "make setup" in toolchain["hint"]


def test_human_output_names_package_json_once_with_the_fix(project: Path) -> None:
    rewrite_package(project, range_pin)

    result = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 3
    assert "✘ toolchain" in result.stdout
    assert "(pinned)" not in result.stdout
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
