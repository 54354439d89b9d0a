"""Real clients run against the test deployment, each in a child process of its own with a
deadline: Python code using the PyPI client (:func:`run_python_child`), the npm Convex CLI
in self-hosted mode (:func:`run_convex_cli`, :func:`convex_cli_env`,
:func:`copy_convex_project`); and :func:`closed_port_url`, where no deployment listens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from cli.shared.process import signal_group
from tests.loopback.client import PROJECT_ROOT, STOP_TIMEOUT

CONVEX_BIN: Final = PROJECT_ROOT / "node_modules" / ".bin" / "convex"
CLI_TIMEOUT: Final = 60.0


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (bind a free port, then close it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_python_child(
    code: str, *, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code`` from the project root with a deadline, in its own session
    (the PyPI ConvexClient holds the GIL and has no timeouts, so it must live elsewhere).
    Raises subprocess.TimeoutExpired when the deadline passes (the child is killed)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        start_new_session=True,
        check=False,
    )


def copy_convex_project(dest: Path) -> Path:
    """A temporary copy of the project with the installed ``node_modules`` linked in."""
    from tests.support.project import copy_project

    return copy_project(dest)


def convex_cli_env(*, url: str, admin_key: str, home: Path) -> dict[str, str]:
    """The environment for the real Convex CLI in self-hosted mode against ``url``: this
    process's environment without any ``CONVEX_*``, a throwaway ``HOME`` (nothing touches
    the real ``~/.convex``) and ``CI=1`` (no error reporter, which would try DNS)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONVEX_")}
    env.update(
        CONVEX_SELF_HOSTED_URL=url,
        CONVEX_SELF_HOSTED_ADMIN_KEY=admin_key,
        HOME=str(home),
        CI="1",
    )
    return env


def run_convex_cli(
    args: Sequence[str],
    *,
    cwd: Path,
    url: str,
    admin_key: str,
    home: Path,
    timeout: float = CLI_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run ``node_modules/.bin/convex ARGS`` (e.g. ``["dev", "--once"]``) in ``cwd`` against
    the self-hosted deployment ``url``, in its own session, stdin closed, with a deadline.
    Whatever is left of its process group afterwards is killed. Raises
    subprocess.TimeoutExpired (with the output so far) when the deadline passes."""
    home.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [str(CONVEX_BIN), *args],
        cwd=cwd,
        env=convex_cli_env(url=url, admin_key=admin_key, home=home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        signal_group(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=STOP_TIMEOUT)
        raise subprocess.TimeoutExpired(process.args, timeout, output=stdout, stderr=stderr) from None
    finally:
        # Helpers it started (esbuild, tsc) must not outlive it. A group id is not reused
        # while any process of the group is alive.
        signal_group(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
