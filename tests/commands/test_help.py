"""Help as people meet it: `-h` as well as `--help` everywhere, examples in every help (the two
groups' too), commands in the order of use, and help written under the output rules: a stdout
that cannot be written is exit 74 with one line of cause and one of advice on stderr, a reader
that goes away is no error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import RUN_TIMEOUT, Result, app_env, run_app

OUTPUT_HINT = (
    "hint: Send stdout somewhere it can be written (a terminal, a pipe, a file on a disk with space)."
)
CLOSED = "error: stdout is closed, so the output could not be written"
FULL = "error: the output could not be written to stdout: No space left on device"

# Every help there is: the root, the group and each command.
HELPS = [[], ["convex"], ["convex", "dev"], ["convex", "check"], ["convex", "ping"], ["convex", "codegen"]]
HELP_IDS = ["app", "convex", "dev", "check", "ping", "codegen"]


def run_in_shell(script: str, *args: str, cwd: Path, shell: str = "sh") -> Result:
    """The app run by `shell -c script`, where `"$@"` is the app with ARGS: with its stdout
    redirected (`"$@" >&-`, `"$@" > /dev/full`) or piped (`"$@" | head -1`)."""
    proc = subprocess.run(
        [shell, "-c", script, shell, sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_into_a_gone_reader(*args: str, cwd: Path) -> Result:
    """The app writing to a pipe whose reader has already gone: every write is a broken pipe
    (what `| head -1` is when head leaves before the app writes), with no race."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-P", "-m", "cli", *args],
            cwd=cwd,
            env=app_env(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=RUN_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    finally:
        os.close(write_end)
    return Result(proc.returncode, "", proc.stderr)


# -- -h, examples, order -------------------------------------------------------------------


@pytest.mark.parametrize("args", HELPS, ids=HELP_IDS)
def test_dash_h_is_help_everywhere(args: list[str], tmp_path: Path) -> None:
    long = run_app(*args, "--help", cwd=tmp_path)
    short = run_app(*args, "-h", cwd=tmp_path)

    assert long.returncode == short.returncode == 0, long.output + short.output
    assert short.stdout == long.stdout and short.stderr == long.stderr == ""
    assert "Usage: app" in short.stdout and "Examples:" in short.stdout
    # The option itself says both spellings.
    assert any(line.strip("│ ").split()[:2] == ["--help", "-h"] for line in short.stdout.splitlines())


@pytest.mark.parametrize(
    ("args", "examples"),
    [
        (
            [],
            [
                "$ app convex dev",
                "$ app convex check",
                "$ app convex ping",
                "$ app convex codegen",
                "$ app --install-completion",
                "$ app --show-completion zsh",
            ],
        ),
        (
            ["convex"],
            ["$ app convex dev", "$ app convex check", "$ app convex ping", "$ app convex codegen"],
        ),
    ],
    ids=["app", "convex"],
)
def test_the_groups_have_examples_in_80_columns(args: list[str], examples: list[str], tmp_path: Path) -> None:
    result = run_app(*args, "--help", cwd=tmp_path, env=app_env(COLUMNS="80"))

    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    shown = [line.strip().split("  #")[0].strip() for line in lines if line.strip().startswith("$ ")]
    assert shown[: len(examples)] == examples, result.stdout
    # Each example is one line, command and what it does: nothing after them wraps to a line
    # of its own.
    after = lines[[line.strip() for line in lines].index("Examples:") + 1 :]
    assert all(line.strip().startswith("$ ") and "  # " in line for line in after if line.strip()), after


def test_commands_are_listed_in_the_order_of_use(tmp_path: Path) -> None:
    result = run_app("convex", "--help", cwd=tmp_path)

    listed = [
        line.strip("│ ").split()[0]
        for line in result.stdout.split("Commands")[1].splitlines()[1:]
        if line.startswith("│ ") and line[2] != " "
    ]
    assert listed == ["dev", "check", "ping", "codegen"], result.stdout


def test_the_root_help_names_the_completion_shells(tmp_path: Path) -> None:
    result = run_app("--help", cwd=tmp_path)

    assert "--show-completion" in result.stdout and "[SHELL]" in result.stdout
    assert "bash, zsh, fish or powershell" in result.stdout


# -- help under the output rules -------------------------------------------------------------


@pytest.mark.parametrize("args", HELPS, ids=HELP_IDS)
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_that_cannot_be_written_exits_74(args: list[str], option: str, tmp_path: Path) -> None:
    closed = run_in_shell('"$@" >&-', *args, option, cwd=tmp_path)
    full = run_in_shell('"$@" > /dev/full', *args, option, cwd=tmp_path)

    assert closed.returncode == 74, closed.output
    assert closed.stderr.splitlines() == [CLOSED, OUTPUT_HINT]
    assert full.returncode == 74, full.output
    assert full.stderr.splitlines() == [FULL, OUTPUT_HINT]


@pytest.mark.parametrize("args", HELPS, ids=HELP_IDS)
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_to_a_reader_that_goes_away_is_no_error(args: list[str], option: str, tmp_path: Path) -> None:
    gone = run_into_a_gone_reader(*args, option, cwd=tmp_path)

    assert gone.returncode == 0 and gone.stderr == "", gone.output


@pytest.mark.parametrize("args", HELPS, ids=HELP_IDS)
def test_help_piped_to_head_exits_0(args: list[str], tmp_path: Path) -> None:
    """`app ... --help | head -1`, the app's own exit code (pipefail)."""
    script = 'set -o pipefail; "$@" --help | head -1 >/dev/null'
    proc = run_in_shell(script, *args, cwd=tmp_path, shell="bash")

    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


@pytest.mark.parametrize("args", [[], ["convex"]], ids=["app", "convex"])
def test_help_for_no_command_follows_the_same_rules(args: list[str], tmp_path: Path) -> None:
    shown = run_app(*args, cwd=tmp_path)
    closed = run_in_shell('"$@" >&-', *args, cwd=tmp_path)
    gone = run_into_a_gone_reader(*args, cwd=tmp_path)

    assert shown.returncode == 2 and "Usage: app" in shown.stdout  # Typer's code for a missing command
    assert closed.returncode == 74 and closed.stderr.splitlines() == [CLOSED, OUTPUT_HINT]
    assert gone.returncode == 2 and gone.stderr == ""


def test_version_follows_the_same_rules(tmp_path: Path) -> None:
    closed = run_in_shell('"$@" >&-', "--version", cwd=tmp_path)
    gone = run_into_a_gone_reader("--version", cwd=tmp_path)

    assert closed.returncode == 74 and closed.stderr.splitlines() == [CLOSED, OUTPUT_HINT]
    assert gone.returncode == 0 and gone.stderr == ""


def test_help_under_json_that_cannot_be_written_exits_74(tmp_path: Path) -> None:
    result = run_in_shell('"$@" >&-', "convex", "check", "--json", "-h", cwd=tmp_path)

    assert result.returncode == 74, result.output
    assert result.stderr.splitlines() == [CLOSED, OUTPUT_HINT]


@pytest.mark.parametrize("args", [[], ["convex"], ["convex", "check"]], ids=["app", "convex", "check"])
def test_examples_wrap_under_what_they_say_at_40_columns(args: list[str], tmp_path: Path) -> None:
    result = run_app(*args, "-h", cwd=tmp_path, env=app_env(COLUMNS="40"))

    lines = result.stdout.splitlines()
    after = lines[[line.strip() for line in lines].index("Examples:") + 1 :]
    examples = [line for line in after if line.strip()]
    assert all(len(line) <= 40 and line == line.rstrip() for line in examples), examples
    assert examples[0].startswith(" $ app ")
    # A line that does not start an example continues the one before it, indented under it
    # (never from the first column, as rich wraps an epilog).
    assert any(not line.startswith(" $ ") for line in examples), examples  # something wrapped
    assert all(line.startswith(" $ ") or line.startswith("   ") for line in examples), examples
    said = " ".join(" ".join(examples).split()).split(" $ ")
    assert all(re.fullmatch(r"\$? ?app [^#]+ # \S.*", example.strip()) for example in said), said
