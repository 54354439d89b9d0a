"""dev's preflight: the start's round and the check share one evaluation of schema.ts, so a
schema that loops (or throws) costs one evaluation, and a failing check's time is the
preflight's; what it waits for is told as it goes."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from cli.services.convex.dev.run import DevOptions, Preparation, prepare
from cli.services.project import require_project
from tests.support.project import left_running, private_cache, project_schema, write_schema

GUARD = 3.0  # the loop guard these tests give the preflight (15 s by default)


def preflight(project: Path, options: DevOptions, heard: list[tuple[str, str]] | None = None) -> Preparation:
    """The preflight of `project`, its evaluator closed (convex dev is not started here)."""

    def steps(step: str, doing: str) -> None:
        if heard is not None:
            heard.append((step, doing))

    prep = prepare(require_project(project), options, interactive=False, steps=steps)
    prep.live.close()
    return prep


@pytest.mark.waits
def test_a_schema_that_loops_costs_the_preflight_one_guard(project: Path) -> None:
    write_schema(project, "while (true) {}\n" + project_schema())
    heard: list[tuple[str, str]] = []

    began = time.monotonic()
    prep = preflight(project, DevOptions(guard=GUARD), heard)
    took = time.monotonic() - began

    assert prep.blocked and prep.check is not None
    schema = next(check for check in prep.check.checks if check.name == "schema")
    assert "did not finish evaluating within 3 s (an endless loop at import?)" in schema.message
    assert took < 5.5, took  # one guard and the rest, not two guards
    assert GUARD <= prep.check.seconds <= took  # the preflight's time, said in the report
    assert heard[0] == ("models", "evaluating convex/schema.ts in Node")
    assert not any(step == "check" and "evaluating" in doing for step, doing in heard)  # not again
    assert left_running(str(project)) == []


@pytest.mark.waits
def test_without_the_check_a_loop_still_costs_the_round_its_guard(project: Path) -> None:
    write_schema(project, "while (true) {}\n" + project_schema())

    began = time.monotonic()
    prep = preflight(project, DevOptions(check=False, guard=GUARD))
    took = time.monotonic() - began

    assert prep.check is None and not prep.blocked  # --no-check: convex dev starts all the same
    assert prep.first.broken is not None and prep.first.broken.kind == "timeout"
    assert GUARD <= took < 5.5, took


def test_a_schema_that_throws_is_evaluated_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check takes the round's failed evaluation: it starts no Node of its own for it."""
    write_schema(project, 'throw new Error("no schema today");\n' + project_schema())
    bin_dir, calls = tmp_path / "logging-bin", tmp_path / "node-calls"
    bin_dir.mkdir()
    (bin_dir / "node").write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {shutil.which("node")} "$@"\n')
    (bin_dir / "node").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    prep = preflight(project, DevOptions())

    assert prep.blocked and prep.check is not None
    schema = next(check for check in prep.check.checks if check.name == "schema")
    assert "throws when imported" in schema.message and "no schema today" in schema.message
    scripts = [Path(line.split()[0]).name for line in calls.read_text().splitlines()]  # what node ran
    assert scripts.count("serve.mjs") == 1  # the round's warm evaluator
    assert "evaluate_schema.mjs" not in scripts  # and no cold evaluation after it


def test_a_failing_check_from_the_cache_takes_the_preflights_time(project: Path) -> None:
    """The check reuses the export the round cached, in no time: its report says the
    preflight's, the round's evaluation included, not 0.00 s."""
    write_schema(
        project, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    began = time.monotonic()
    prep = preflight(project, DevOptions())
    took = time.monotonic() - began

    assert prep.blocked and prep.check is not None
    assert prep.first.refused
    assert prep.first.seconds <= prep.check.seconds <= took


def test_a_schema_that_is_fine_passes_and_tells_its_steps(project: Path) -> None:
    private_cache(project)  # no export cached by other tests: the round evaluates
    heard: list[tuple[str, str]] = []

    prep = preflight(project, DevOptions(), heard)

    assert not prep.blocked and prep.check is not None and prep.check.exit_code == 0
    assert prep.first.broken is None
    assert heard[0] == ("models", "evaluating convex/schema.ts in Node")
    assert {step for step, _ in heard} <= {"models", "check"}
