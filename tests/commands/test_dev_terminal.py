"""`app convex dev` in a real terminal: the child gets a terminal and the foreground, so
colours stay on and Ctrl-C typed at the keyboard reaches it directly."""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.support.project import end_processes_mentioning, left_running
from tests.support.standin import copy_project_with_standin_cli, standin_env, standin_log


def read_until(master: int, text: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{text!r} did not appear: {seen!r}"
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_typed_in_the_terminal_reaches_the_child(tmp_path: Path) -> None:
    project = copy_project_with_standin_cli(tmp_path / "standin")
    master, slave = os.openpty()

    def controlling_terminal() -> None:  # a new session whose terminal is the pty
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "cli", "convex", "dev"],
        cwd=project,
        env=standin_env(project, STANDIN_MODE="run"),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=controlling_terminal,
    )
    os.close(slave)
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
