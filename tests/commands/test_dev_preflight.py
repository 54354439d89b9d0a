"""`app convex dev`'s preflight as people see it: on a terminal its header at once and a spinner
naming what it waits for; a schema that loops stops it after one loop guard, with a report
headed as dev's and the time the preflight took; a schema that is fine starts convex dev."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.commands.progress import Preflight
from tests.support.project import end_processes_mentioning, left_running, project_schema, write_schema
from tests.support.standin import copy_project_with_standin_cli, standin_env, standin_log
from tests.support.terminal import ESCAPE, Output, run_in_terminal

GUARD = 3.0  # the loop guard these runs get (15 s by default)
SUMMARY = re.compile(r"3/8 checks passed \(1 failed, 4 skipped\) in (\d+\.\d\d) s")


def app_with_guard(guard: float) -> list[str]:
    """`python -m cli` with the loop guard shortened: dev has no option for it (its --timeout is
    convex dev's deadline), and the preflight reads it when the dev service is imported."""
    code = f"import cli.shared.deadlines as d\nd.SCHEMA_LOOP_GUARD = {guard!r}\n"
    code += "from cli.main import main\nmain()"
    return [sys.executable, "-P", "-c", code]


def looping_project(tmp_path: Path) -> Path:
    project = copy_project_with_standin_cli(tmp_path / "standin")
    write_schema(project, "while (true) {}\n" + project_schema())
    return project


def in_terminal(args: list[str], project: Path, timeout: float = 30) -> Output:
    """The app (loop guard shortened) on a pseudo-terminal: what it wrote, and when."""
    env = standin_env(project, TERM="xterm-256color", COLUMNS="120")
    try:
        return run_in_terminal(
            args, project, env, timeout=timeout, columns=120, stop_at_exit=True, app=app_with_guard(GUARD)
        )
    finally:
        end_processes_mentioning(str(project))  # only matters when a test failed midway


def plain(data: bytes) -> str:
    return ESCAPE.sub(b"", data).decode(errors="replace").replace("\r", "\n")


def when(shown: Output, text: str) -> float:
    """When `text` was complete on the screen (styles aside)."""
    seen = b""
    for at, chunk in shown.chunks:
        seen += chunk
        if text in plain(seen):
            return at
    raise AssertionError(f"{text!r} never appeared in {plain(seen)!r}")


@pytest.mark.waits
def test_a_schema_that_loops_stops_dev_after_one_guard(tmp_path: Path) -> None:
    project = looping_project(tmp_path)

    began = time.monotonic()
    result = subprocess.run(
        [*app_with_guard(GUARD), "convex", "dev", "--once"],
        cwd=project,
        env=standin_env(project),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    took = time.monotonic() - began

    assert result.returncode == 1, result.stdout + result.stderr
    assert took < 5.5, took  # one guard (3 s) and the rest, not two
    lines = result.stdout.splitlines()
    assert lines[0] == f"Convex dev · {project}"  # dev's report, not check's
    assert "did not finish evaluating within 3 s (an endless loop at import?)" in result.stdout
    summary = SUMMARY.fullmatch(lines[-1])
    assert summary is not None, lines[-1]
    assert GUARD <= float(summary.group(1)) <= took  # the preflight's time, not the cached result's
    assert result.stderr.splitlines() == [
        "error: the schema check failed, so convex dev was not started",
        "hint: Fix the findings above, or start it anyway with --no-check.",
    ]
    assert "\x1b" not in result.stdout + result.stderr  # in a pipe: no live display
    assert standin_log(project) == []
    assert left_running(str(project)) == []


@pytest.mark.waits
def test_on_a_terminal_the_header_and_a_spinner_come_while_the_schema_loops(tmp_path: Path) -> None:
    project = looping_project(tmp_path)

    shown = in_terminal(["convex", "dev", "--once"], project)

    assert shown.returncode == 1
    ended = when(shown, "did not finish evaluating within 3 s")  # the report, after the guard
    assert when(shown, f"Convex dev · {project}") < ended - 2  # at once: seconds before the guard ended
    assert when(shown, "models   evaluating convex/schema.ts in Node (") < ended - 1
    text = plain(shown.data)
    spinning = [line.strip() for line in text.splitlines() if re.search(r"\(\d+\.\d s\)", line)]
    assert spinning and all(
        re.fullmatch(r"\S models +evaluating convex/schema\.ts in Node \(\d+\.\d s\)", line)
        for line in spinning
    ), spinning  # what runs is what it names: the check does not evaluate it again
    assert SUMMARY.search(text) is not None
    assert "error: the schema check failed, so convex dev was not started" in text


def test_on_a_terminal_a_schema_that_is_fine_starts_dev_with_the_header_once(tmp_path: Path) -> None:
    project = copy_project_with_standin_cli(tmp_path / "standin")

    shown = in_terminal(["convex", "dev", "--once"], project)

    # STANDIN_MODE exit: it says nothing and exits 0, which --once counts as an incomplete push
    assert shown.returncode == 1
    assert len(standin_log(project)) > 0  # convex dev was started
    # The live display ends by showing the cursor again; what follows is what stays on screen.
    after = plain(shown.data.rsplit(b"\x1b[?25h", 1)[-1])
    assert after.count("Convex dev · ") == 1
    assert "check    ✔ 7 checks passed" in after
    assert "running  node_modules/.bin/convex dev --once" in after


def test_a_steps_seconds_count_from_its_start_and_a_new_step_starts_anew() -> None:
    shown = Preflight("Convex dev", "/p")

    shown.working("models", "evaluating convex/schema.ts in Node")
    began = shown.running()[2]
    shown.working("models", "formatting the models with ruff")
    assert shown.running() == ("models", "formatting the models with ruff", began)

    shown.working("check", "asking node for its version")
    assert shown.running()[:2] == ("check", "asking node for its version")
    assert shown.running()[2] >= began
