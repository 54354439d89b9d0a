"""What the live display says is under way is what runs: while schema.ts loops, the spinner
names the schema's evaluation, not the toolchain waiting on it; a check's label is its latest."""

from __future__ import annotations

import re
import time
from pathlib import Path

from cli.commands.progress import LiveReport
from cli.commands.view import View
from tests.support.project import app_env, project_schema, write_schema
from tests.support.terminal import ESCAPE, run_in_terminal


def in_a_terminal(args: list[str], cwd: Path, timeout: float = 60) -> str:
    """The app's output on a pseudo-terminal (where the spinner is drawn), escape codes removed."""
    env = app_env(TERM="xterm-256color", COLUMNS="120")
    shown = run_in_terminal(args, cwd, env, timeout=timeout, stop_at_exit=True)
    return ESCAPE.sub(b"", shown.data).decode(errors="replace").replace("\r", "\n")


def test_while_the_schema_loops_the_spinner_names_the_schema(project: Path) -> None:
    write_schema(project, "while (true) {}\n" + project_schema())

    shown = in_a_terminal(["convex", "check", "--no-typecheck", "--timeout", "2"], project)

    spinning = [line.strip() for line in shown.splitlines() if re.search(r"\(\d+\.\d s\)", line)]
    assert spinning, shown  # the spinner came (after half a second), with the seconds elapsed
    assert all(
        re.fullmatch(r"\S schema +evaluating convex/schema\.ts in Node \(\d+\.\d s\)", s) for s in spinning
    )
    assert "asking node for its version" not in shown
    assert "did not finish evaluating within 2 s" in shown


def test_a_checks_label_is_what_it_does_now_its_seconds_from_its_start() -> None:
    live = LiveReport(View("convex check", ("layout", "types"), "Convex check", "/p"))

    live.working("types", "starting tsc")
    began = live.running()[2]
    live.working("types", "tsc --noEmit -p convex is running")

    assert live.running() == ("types", "tsc --noEmit -p convex is running", began)


def test_a_finding_whose_message_starts_with_its_place_names_it_once() -> None:
    from cli.commands.render import check_lines
    from cli.shared.output import plain
    from cli.shared.report import CheckResult, Finding, Status

    findings = (
        Finding("layout/missing", ".env.example is missing", file=".env.example"),
        Finding("layout/missing", "the functions folder has no schema.ts", file="convex/schema.ts"),
    )
    check = CheckResult("layout", Status.FAILED, "2 files missing", "Add them.", findings)

    said = [plain(line) for line in check_lines(check, 6)]

    assert said[1] == "      layout/missing  .env.example is missing"
    assert said[2] == "      layout/missing  convex/schema.ts: the functions folder has no schema.ts"


def test_the_spinner_stays_one_line_at_40_columns() -> None:
    from rich.console import Console

    from cli.commands.progress import SPINNER_AFTER, _Spinner

    live = LiveReport(View("convex check", ("schema",), "Convex check", "/p"))
    live.working("schema", "evaluating convex/some/rather/long/functions/folder/schema.ts in Node")
    time.sleep(SPINNER_AFTER + 0.1)
    console = Console(width=40, record=True, force_terminal=False, color_system=None)

    console.print(_Spinner(live))

    shown = console.export_text().rstrip("\n").split("\n")
    assert len(shown) == 1, shown  # redrawn in place: a wrapped tail would stay on the screen
    assert shown[0].startswith("  ") and "schema  evaluating convex/some" in shown[0]
    assert shown[0].endswith("…")
