"""`app convex dev` in a real terminal: the child gets a terminal and the foreground, so
colours stay on and Ctrl-C typed at the keyboard reaches it directly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.support.project import end_processes_mentioning, left_running
from tests.support.standin import copy_project_with_standin_cli, standin_env, standin_log
from tests.support.terminal import read_until, start_in_terminal


def test_ctrl_c_typed_in_the_terminal_reaches_the_child(tmp_path: Path) -> None:
    project = copy_project_with_standin_cli(tmp_path / "standin")
    proc, master = start_in_terminal(
        [sys.executable, "-P", "-m", "cli", "convex", "dev"],
        cwd=project,
        env=standin_env(project, STANDIN_MODE="run"),
    )
    try:
        read_until(master, b"Convex functions ready!", timeout=20)
        # It writes to a terminal (colours stay on) and its group is the foreground one.
        assert 'terminal {"tty":true,"foreground":true}' in standin_log(project)

        os.write(master, b"\x03")  # Ctrl-C, as typed: the terminal signals its foreground group
        proc.wait(timeout=20)

        assert proc.returncode == 130
        assert "got SIGINT" in standin_log(project)
        assert left_running(str(project)) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        end_processes_mentioning(str(project))  # the child leads its own group: end it too
        os.close(master)
