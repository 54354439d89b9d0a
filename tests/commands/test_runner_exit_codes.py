"""The one place that maps what a command raised to an exit code, without --debug."""

from __future__ import annotations

import pytest
import typer

from cli.commands.runner import run
from cli.shared.errors import ConfigError, ExitCode


def exit_code_of(action_error: BaseException, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    def action() -> int:
        raise action_error

    with pytest.raises(typer.Exit) as exited:
        run("test", action, json_output=False)
    out, err = capsys.readouterr()
    return exited.value.exit_code, out, err


def test_an_unexpected_exception_fails_with_one_line_and_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = exit_code_of(RuntimeError("a bug with a secret: hunter2"), capsys)

    assert code == ExitCode.FAILED
    assert out == ""
    assert err.splitlines() == [
        "error: test failed unexpectedly",
        "hint: Run it again with --debug to see the traceback, and report it.",
    ]


def test_an_app_error_keeps_its_own_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = exit_code_of(ConfigError("no settings", "Set them."), capsys)

    assert code == ExitCode.CONFIG
    assert err.splitlines() == ["error: no settings", "hint: Set them."]


def test_a_clean_action_returns_its_own_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exited:
        run("test", lambda: 0, json_output=False)

    assert exited.value.exit_code == 0
