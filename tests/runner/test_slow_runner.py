"""`make slow-runner`: the deadlines' defaults on a runner four times slower than this machine.

One core, shared with three processes that never stop computing, gives the check about a
quarter of a core. A valid 500-table schema must pass there with every deadline at its
default: the loop guard ends an endless schema, not a slow one, and tsc's deadline only a
hang. It takes minutes, so `make test` leaves it out (`-m "not slow_runner"`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.large_schema import large_schema
from tests.support.project import app_env, copy_project

BUSY = [sys.executable, "-c", "while True: pass"]
CORE = 0


@contextmanager
def one_busy_core(processes: int) -> Iterator[None]:
    """`processes` endless loops pinned to CORE while the block runs."""
    busy = [
        subprocess.Popen(BUSY, preexec_fn=lambda: os.sched_setaffinity(0, {CORE})) for _ in range(processes)
    ]
    try:
        yield
    finally:
        for proc in busy:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.slow_runner
def test_a_valid_500_table_schema_passes_on_a_quarter_of_a_core(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "convex" / "schema.ts").write_text(large_schema(500, 50), encoding="utf-8")
    app = [sys.executable, "-P", "-m", "cli"]
    # Models of this schema as its project would commit them (made at full speed).
    subprocess.run([*app, "convex", "codegen"], cwd=project, env=app_env(), check=True, timeout=300)

    with one_busy_core(3):
        done = subprocess.run(
            [*app, "convex", "check", "--json"],
            cwd=project,
            env=app_env(),
            capture_output=True,
            text=True,
            timeout=900,
            preexec_fn=lambda: os.sched_setaffinity(0, {CORE}),  # children inherit it
        )

    assert done.returncode == 0, done.stdout + done.stderr
