"""The runner in-process (cli/commands/runner.py), for what the subprocess tests cannot show
mutation testing: each way a command ends and the exit code the "Exit codes" table (docs/output.md)
gives it (130 for Ctrl-C, 128 + the number for SIGTERM and SIGHUP, 74 when stdout fails, 3 for
a path longer than the system allows), the error as one JSON document with --json, the
traceback only with --debug, and no child left running."""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType

import pytest
import typer

from cli.commands.runner import Stopped, run
from cli.shared import output, process
from cli.shared.errors import AppError, ConfigError, OutputError


def ended(action: Callable[[], int], *, json_output: bool = False, debug: bool = False) -> int:
    """The exit code `run` ends with; what it said is left in capsys."""
    with pytest.raises(typer.Exit) as exited:
        run("convex test", action, json_output=json_output, debug=debug)
    return exited.value.exit_code


def raising(error: BaseException) -> Callable[[], int]:
    def action() -> int:
        raise error

    return action


class Child:
    """A process `kill_running` must end, as process.track registers one."""

    def __init__(self) -> None:
        self.killed = 0

    def kill(self) -> None:
        self.killed += 1


@pytest.fixture
def child() -> Iterator[Child]:
    tracked = Child()
    process.track(tracked)
    yield tracked
    process.untrack(tracked)


def test_ctrl_c_exits_130_says_interrupted_and_ends_the_children(
    child: Child, capsys: pytest.CaptureFixture[str]
) -> None:
    code = ended(raising(KeyboardInterrupt()))

    out, err = capsys.readouterr()
    assert code == 130
    assert (out, err) == ("", "error: interrupted\n")
    assert child.killed == 1


def test_ctrl_c_with_json_is_one_document(child: Child, capsys: pytest.CaptureFixture[str]) -> None:
    code = ended(raising(KeyboardInterrupt()), json_output=True)

    out, err = capsys.readouterr()
    assert code == 130 and err == ""
    assert json.loads(out) == {
        "command": "convex test",
        "ok": False,
        "exit_code": 130,
        "error": {"code": "interrupted", "message": "interrupted", "hint": None},
    }


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_unwind_like_ctrl_c_with_128_plus_their_number(
    sig: signal.Signals, code: int, child: Child, capsys: pytest.CaptureFixture[str]
) -> None:
    received: list[int] = []

    def before(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)  # what runs when the runner installs no handler of its own

    previous = signal.signal(sig, before)
    try:

        def action() -> int:
            os.kill(os.getpid(), sig)
            return 0  # not reached: the runner's handler raises

        exit_code = ended(action)

        assert signal.getsignal(sig) is before  # the runner's handler is gone again
    finally:
        signal.signal(sig, previous)
    out, err = capsys.readouterr()
    assert (exit_code, received) == (code, [])
    assert (out, err) == ("", f"error: stopped by {sig.name}\n")
    assert child.killed == 1


def test_an_app_error_with_json_is_one_document_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    error = ConfigError("no settings", "Set them.", detail="read from .env.local")

    code = ended(raising(error), json_output=True)

    out, err = capsys.readouterr()
    assert (code, err) == (3, "")
    assert json.loads(out) == {
        "command": "convex test",
        "ok": False,
        "exit_code": 3,
        "error": {"code": "config", "message": "no settings", "hint": "Set them."},
    }


def test_debug_adds_the_detail_to_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    error = ConfigError("no settings", "Set them.", detail="read from .env.local")

    ended(raising(error), json_output=True, debug=True)

    assert json.loads(capsys.readouterr().out)["error"]["detail"] == "read from .env.local"


def test_debug_adds_the_detail_to_the_lines(capsys: pytest.CaptureFixture[str]) -> None:
    error = ConfigError("no settings", "Set them.", detail="read from .env.local")

    ended(raising(error), debug=True)

    assert capsys.readouterr().err.splitlines() == [
        "error: no settings",
        "hint: Set them.",
        "read from .env.local",
    ]


def test_a_failing_stdout_is_told_on_stderr_even_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = ended(raising(OutputError("the output could not be written", "Try a file.")), json_output=True)

    out, err = capsys.readouterr()
    assert (code, out) == (74, "")
    assert err.splitlines() == ["error: the output could not be written", "hint: Try a file."]


def test_stdout_failing_while_the_error_is_told_exits_74(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # closed before the command started (`>&-`)

    code = ended(raising(ConfigError("no settings", "Set them.")), json_output=True)

    monkeypatch.undo()
    assert code == 74
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: stdout is closed, so the output could not be written"
    )


@pytest.mark.parametrize(("debug", "detail"), [(True, ["ENOSPC on descriptor 1"]), (False, [])])
def test_debug_adds_the_detail_of_a_stdout_failure_while_the_error_is_told(
    debug: bool, detail: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--debug reaches the fallback report on stderr too: its detail line only with --debug."""

    def failing(_document: object) -> None:
        raise OutputError("the output could not be written", "Try a file.", detail="ENOSPC on descriptor 1")

    monkeypatch.setattr(output, "emit_json", failing)

    code = ended(raising(ConfigError("no settings", "Set them.")), json_output=True, debug=debug)

    assert code == 74
    assert capsys.readouterr().err.splitlines() == [
        "error: the output could not be written",
        "hint: Try a file.",
        *detail,
    ]


def test_stopped_carries_its_signal_as_its_argument() -> None:
    """It unwinds like KeyboardInterrupt, through code that may show it on the way: its str() and
    a traceback name the signal's number, as an OSError's arguments hold its errno."""
    stop = Stopped(signal.SIGTERM)

    assert (stop.signum, stop.args, str(stop)) == (signal.SIGTERM, (signal.SIGTERM,), "15")


@pytest.mark.parametrize(
    ("filename", "named"), [("/p/" + "a" * 5000, "/p/aaaa"), (None, "?")], ids=["named", "unnamed"]
)
def test_a_path_too_long_exits_3_and_names_it(
    filename: str | None, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    error = OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), filename)

    code = ended(raising(error))

    lines = capsys.readouterr().err.splitlines()
    assert code == 3
    assert len(lines) == 2 and lines[0].startswith("error: a path is "), lines
    assert lines[0].split(": ", 2)[2].startswith(named), lines
    assert lines[0].startswith(f"error: a path is {len(os.fsencode(filename or '?'))} bytes long")


def test_another_os_error_is_unexpected(capsys: pytest.CaptureFixture[str]) -> None:
    code = ended(raising(FileNotFoundError(errno.ENOENT, "No such file", "/nowhere")))

    assert code == 1
    assert capsys.readouterr().err.startswith("error: convex test failed unexpectedly\n")


def test_debug_shows_an_unexpected_error_after_the_two_lines(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError, match="a bug"):
        run("convex test", raising(RuntimeError("a bug")), json_output=False, debug=True)

    assert capsys.readouterr().err.splitlines() == [
        "error: convex test failed unexpectedly",
        "hint: Run it again with --debug to see the traceback, and report it.",
    ]


def test_an_app_error_keeps_the_code_it_was_given(capsys: pytest.CaptureFixture[str]) -> None:
    code = ended(raising(AppError("unhealthy", exit_code=4)))

    assert code == 4
    assert capsys.readouterr().err == "error: unhealthy\n"
