"""The CI workflow shipped for the project's users runs the tests, then the smoke steps."""

from __future__ import annotations

from typing import Any

import yaml

from tests.support.project import REPO


def job() -> dict[str, Any]:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert list(jobs) == ["test"]
    found: dict[str, Any] = jobs["test"]
    return found


def steps() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job()["steps"]
    return found


def test_runs_on_every_supported_python_and_node_20() -> None:
    uses = {step.get("uses", "").split("@")[0]: step for step in steps()}
    assert job()["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    assert uses["actions/setup-python"]["with"]["python-version"] == "${{ matrix.python-version }}"
    assert uses["actions/setup-node"]["with"]["node-version"] == "20"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject  # the matrix starts where the project does


def test_runs_the_tests_then_the_smoke_check_then_ping_only_with_a_secret() -> None:
    runs = [step for step in steps() if "run" in step]
    assert [step["run"] for step in runs] == [
        "make shells",
        "make test",
        ".venv/bin/app convex check --json",
        ".venv/bin/app convex ping --timeout 20",
    ]
    ping = runs[3]
    assert ping["if"] == "env.HAS_CONVEX_URL == 'true' && matrix.python-version == '3.11'"
    assert ping["env"]["CONVEX_URL"] == "${{ secrets.CONVEX_URL }}"
    assert all("if" not in step for step in runs[:3])


def test_ci_run_script_lints_tests_and_runs_the_smoke_step() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in script if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make lint", "make shells", "make test", "make check", "make first-screen"]
