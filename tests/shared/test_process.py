"""Bounded child processes: deadlines, and Ctrl-C never leaves one running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from cli.commands.runner import run
from cli.shared import process
from cli.shared.process import Bounded, marked_result
from tests.support.project import pid_alive

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_deadline_kills_the_whole_group(tmp_path: Path) -> None:
    # A child that starts a grandchild, then hangs: both must be gone after the deadline.
    code = (
        "import subprocess, sys, time\n"
        "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(g.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    done = Bounded([sys.executable, "-c", code], cwd=tmp_path, timeout=1.0).finish()

    assert done.timed_out and done.seconds < 5
    assert not pid_alive(int(done.stdout.split()[0]))


def test_interrupt_while_starting_kills_the_new_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def popen_then_ctrl_c(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        child: subprocess.Popen[str] = real_popen(*args, **kwargs)
        started.append(child)
        os.kill(os.getpid(), signal.SIGINT)  # arrives before Bounded has recorded the child
        return child

    monkeypatch.setattr(subprocess, "Popen", popen_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        Bounded(SLEEPER, cwd=tmp_path, timeout=30)

    assert started and started[0].poll() is not None
    assert not process._running


def test_interrupted_command_ends_every_child_it_started(tmp_path: Path) -> None:
    children: list[Bounded] = []

    def action() -> int:
        children.append(Bounded(SLEEPER, cwd=tmp_path, timeout=30))
        raise KeyboardInterrupt

    with pytest.raises(typer.Exit) as exited:
        run("test", action, json_output=True)

    assert exited.value.exit_code == 130
    assert children[0].proc.poll() is not None


def test_marked_result_takes_the_last_marker_line() -> None:
    out = 'noise\n@@app-result@@{"ok": false}\nmore noise\n@@app-result@@{"ok": true}\n'
    assert marked_result(out) == {"ok": True}
    assert marked_result("no marker here") is None
    assert marked_result("@@app-result@@not json") is None


def test_json_with_debug_still_prints_the_error_document(capsys: pytest.CaptureFixture[str]) -> None:
    def action() -> int:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):  # --debug: the traceback follows
        run("test", action, json_output=True, debug=True)

    document = json.loads(capsys.readouterr().out)
    assert document["error"]["message"] == "test failed unexpectedly"
