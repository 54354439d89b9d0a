"""Help as people meet it: `-h` as well as `--help` everywhere, examples in every help (the two
groups' too), commands in the order of use, plain text laid out for the terminal's width from
40 columns up (no box, no cut word, no trailing space), usage errors as an error and a hint,
and help written under the output rules: a stdout that cannot be written is exit 74 with one
line of cause and one of advice on stderr, a reader that goes away is no error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import RUN_TIMEOUT, Result, app_env, run_app
from tests.support.terminal import run_in_terminal

OUTPUT_HINT = (
    "hint: Send stdout somewhere it can be written (a terminal, a pipe, a file on a disk with space)."
)
CLOSED = "error: stdout is closed, so the output could not be written"
FULL = "error: the output could not be written to stdout: No space left on device"

# Every help there is: the root, the group and each command.
HELPS = [[], ["convex"], ["convex", "dev"], ["convex", "check"], ["convex", "ping"], ["convex", "codegen"]]
HELP_IDS = ["app", "convex", "dev", "check", "ping", "codegen"]


def run_in_shell(
    script: str, *args: str, cwd: Path, shell: str = "sh", env: dict[str, str] | None = None
) -> Result:
    """The app run by `shell -c script`, where `"$@"` is the app with ARGS: with its stdout
    redirected (`"$@" >&-`, `"$@" > /dev/full`) or piped (`"$@" | head -1`)."""
    proc = subprocess.run(
        [shell, "-c", script, shell, sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=env if env is not None else app_env(),
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
    assert any(line.split()[:2] == ["-h,", "--help"] for line in short.stdout.splitlines()), short.stdout


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


def section(text: str, heading: str) -> list[str]:
    """The lines of a help's section (`heading:` to the blank line after it)."""
    lines = text.splitlines()
    start = lines.index(f"{heading}:") + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_commands_are_listed_in_the_order_of_use(tmp_path: Path) -> None:
    result = run_app("convex", "--help", cwd=tmp_path)

    listed = [line.split()[0] for line in section(result.stdout, "Commands") if line[2] != " "]
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
    assert examples[0].startswith("  $ app ")
    # A line that does not start an example continues the one before it, indented under it
    # (never from the first column, as rich wraps an epilog).
    assert any(not line.startswith("  $ ") for line in examples), examples  # something wrapped
    assert all(line.startswith("  $ ") or line.startswith("    ") for line in examples), examples
    said = " ".join(" ".join(examples).split()).split(" $ ")
    assert all(re.fullmatch(r"\$? ?app [^#]+ # \S.*", example.strip()) for example in said), said


# -- plain text for the terminal's width -----------------------------------------------------

# Metavars that end in "...", which is no cut.
DOTTED = ("[ARGS]...", "[-- ARGS...]")
BOX = re.compile("[╭╮╰╯│─]")


def shown_help(args: list[str], width: int, where: str, cwd: Path) -> str:
    """The help of `app ARGS` for `width` columns: with COLUMNS in a pipe, or on a pseudo-
    terminal of that size (no COLUMNS)."""
    if where == "COLUMNS":
        result = run_app(*args, "-h", cwd=cwd, env=app_env(COLUMNS=str(width)))
        assert result.returncode == 0 and result.stderr == "", result.output
        return result.stdout
    env = app_env(COLUMNS=None, LINES=None, TERM="xterm-256color")
    shown = run_in_terminal([*args, "-h"], cwd, env, timeout=RUN_TIMEOUT, columns=width)
    assert shown.returncode == 0, shown.data
    return shown.data.decode().replace("\r\n", "\n")


def option_names(args: list[str]) -> list[str]:
    """Every option name the command at `app ARGS` has, its help option's two included."""
    from typer.main import get_command

    from cli.main import app

    command = get_command(app)
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    names = [name for param in command.params for name in (*param.opts, *param.secondary_opts)]
    return [name for name in names if name.startswith("-")] + ["-h", "--help"]


def assert_laid_out(text: str, width: int) -> None:
    lines = text.splitlines()
    assert lines[0].startswith("Usage: app"), text
    assert [line for line in lines if len(line) > width] == [], text
    assert [line for line in lines if line != line.rstrip()] == [], text
    assert not BOX.search(text), text
    assert "…" not in text, text
    uncut = text
    for dotted in DOTTED:
        uncut = uncut.replace(dotted, "")
    assert "..." not in uncut, text


@pytest.mark.parametrize("where", ["COLUMNS", "terminal"])
@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("args", HELPS, ids=HELP_IDS)
def test_help_fits_the_width_without_a_box_a_cut_or_a_trailing_space(
    args: list[str], width: int, where: str, tmp_path: Path
) -> None:
    text = shown_help(args, width, where, tmp_path)

    assert_laid_out(text, width)
    # Every option is named whole on a line of the Options section (never `--versi…`).
    options = section(text, "Options")
    for name in option_names(args):
        assert any(name in re.split(r"[ ,]+", line.strip()) for line in options), (name, text)
    # What an option does wraps under itself, between words.
    said = " ".join(" ".join(options).split())
    assert "Show this message and exit." in said, text


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize(
    ("args", "named"), [([], ["convex"]), (["convex"], ["dev", "check", "ping", "codegen"])]
)
def test_each_command_is_listed_with_its_short_help_on_one_line(
    args: list[str], named: list[str], width: int, tmp_path: Path
) -> None:
    from cli.commands import check, codegen, convex, dev, ping

    short = {
        "convex": convex.app.info.short_help,
        **{module.NAME: module.SHORT_HELP for module in (dev, check, ping, codegen)},
    }
    text = shown_help(args, width, "COLUMNS", tmp_path)

    rows = [line.split(maxsplit=1) for line in section(text, "Commands")]
    assert rows == [[name, short[name]] for name in named], text


def test_the_help_paragraphs_wrap_at_40_columns_under_themselves(tmp_path: Path) -> None:
    text = shown_help(["convex", "codegen"], 40, "COLUMNS", tmp_path)

    assert_laid_out(text, 40)
    paragraphs = text.split("\n\n")[1:3]
    assert all(line.startswith("  ") and line[2] != " " for p in paragraphs for line in p.splitlines()), text
    # The path is whole on its line: cut neither by "…" nor mid-name.
    assert any(line.strip().startswith("cli/services/convex/models/") for line in text.splitlines()), text


def test_help_in_a_pipe_is_80_columns_and_starts_with_its_usage(tmp_path: Path) -> None:
    env = app_env(COLUMNS=None, LINES=None)
    whole = run_in_shell('"$@" | cat', "convex", "dev", "--help", cwd=tmp_path, env=env)
    first = run_in_shell('"$@" | head -1', "convex", "dev", "--help", cwd=tmp_path, env=env)

    assert_laid_out(whole.stdout, 80)
    assert max(len(line) for line in whole.stdout.splitlines()) > 70  # laid out for 80, not less
    assert first.stdout == "Usage: app convex dev [OPTIONS] [-- ARGS...]\n", first.stdout


def test_help_imports_no_rich(tmp_path: Path) -> None:
    """Plain help needs none of rich, which took as long to import as the rest of the app."""
    code = (
        "import sys\n"
        "from cli.main import main\n"
        "sys.argv = ['app', 'convex', 'check', '--help']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'rich'), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=tmp_path,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )

    assert proc.returncode == 0 and "Usage: app convex check" in proc.stdout, proc.stderr
    assert proc.stderr == "[]\n"


# -- usage errors ----------------------------------------------------------------------------

USAGE_ERRORS = [
    (
        ["convex", "pnig"],
        "error: No such command 'pnig'. Did you mean 'ping'?",
        "hint: Run `app convex --help` for its commands and options.",
    ),
    (
        ["convex", "ping", "--count", "x"],
        "error: Invalid value for '--count': 'x' is not a valid int range.",
        "hint: Run `app convex ping --help` for its options.",
    ),
    (["--bogus"], "error: No such option: --bogus", "hint: Run `app --help` for its commands and options."),
    (
        ["convex", "check", "--no-such-flag"],
        "error: No such option: --no-such-flag",
        "hint: Run `app convex check --help` for its options.",
    ),
]
USAGE_IDS = ["command", "value", "root option", "command option"]


@pytest.mark.parametrize(("args", "error", "hint"), USAGE_ERRORS, ids=USAGE_IDS)
def test_a_usage_error_is_an_error_and_a_hint(args: list[str], error: str, hint: str, tmp_path: Path) -> None:
    result = run_app(*args, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]


@pytest.mark.parametrize(("args", "error", "hint"), USAGE_ERRORS[:2], ids=USAGE_IDS[:2])
def test_a_usage_error_at_40_columns_wraps_without_a_box(
    args: list[str], error: str, hint: str, tmp_path: Path
) -> None:
    env = app_env(COLUMNS=None, LINES=None, TERM="xterm-256color")
    shown = run_in_terminal(args, tmp_path, env, timeout=RUN_TIMEOUT, columns=40)
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown.data.decode()).replace("\r\n", "\n")

    assert shown.returncode == 2
    lines = text.splitlines()
    assert lines[0].startswith("error: ") and any(line.startswith("hint: ") for line in lines), text
    assert [line for line in lines if len(line) > 40 or line != line.rstrip()] == [], text
    assert not BOX.search(text) and "Usage:" not in text, text
    # Joined again, the lines say what the pipe says.
    said = " ".join(text.split())
    assert said == f"{error} {hint}", text


def test_a_usage_error_under_json_names_the_group_it_belongs_to(tmp_path: Path) -> None:
    result = run_app("convex", "pnig", "--json", cwd=tmp_path)

    assert result.returncode == 2 and result.stderr == ""
    assert result.json() == {
        "command": "convex",
        "ok": False,
        "exit_code": 2,
        "error": {
            "code": "usage",
            "message": "No such command 'pnig'. Did you mean 'ping'?",
            "hint": "Run `app convex --help` for its commands and options.",
        },
    }
