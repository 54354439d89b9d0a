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
from cli.shared.process import Bounded
from tests.support.project import gone

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
    assert gone(int(done.stdout.split()[0]))


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


WRITE_RESULT = "import json, os; json.dump({payload}, open(os.environ['APP_RESULT_FILE'], 'w'))"


def test_a_result_of_any_size_arrives_whole(tmp_path: Path) -> None:
    # 8 MB, far past the 64 KiB at which Node cuts piped output off at exit.
    code = WRITE_RESULT.format(payload="{'big': 'x' * 8_000_000}") + "; print('noise')"
    proc = Bounded([sys.executable, "-c", code], cwd=tmp_path, timeout=30, result_file=True)
    result_dir = Path(proc._result_path()).parent

    done = proc.finish()

    assert done.result == {"big": "x" * 8_000_000}
    assert done.result_problem is None
    assert not result_dir.exists()  # nothing left in the temp folder


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("pass", "missing"),
        ("import os; open(os.environ['APP_RESULT_FILE'], 'w').write('{\"cut')", "unreadable"),
    ],
)
def test_a_missing_or_broken_result_is_named(tmp_path: Path, code: str, problem: str) -> None:
    done = Bounded([sys.executable, "-c", code], cwd=tmp_path, timeout=30, result_file=True).finish()

    assert done.returncode == 0
    assert done.result is None
    assert done.result_problem is not None and done.result_problem.startswith(problem)


def test_without_result_file_the_child_gets_no_result_variable(tmp_path: Path) -> None:
    code = "import os; print(os.environ.get('APP_RESULT_FILE'))"
    done = Bounded([sys.executable, "-c", code], cwd=tmp_path, timeout=30).finish()

    assert done.stdout.strip() == "None"
    assert done.result is None and done.result_problem is None


def test_json_with_debug_still_prints_the_error_document(capsys: pytest.CaptureFixture[str]) -> None:
    def action() -> int:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):  # --debug: the traceback follows
        run("test", action, json_output=True, debug=True)

    document = json.loads(capsys.readouterr().out)
    assert document["error"]["message"] == "test failed unexpectedly"
