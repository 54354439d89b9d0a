"""After `convex dev` writes CONVEX_URL to .env.local, a different CONVEX_URL in the environment
wins over it for ping and the client: dev's result says so, and what to do; nothing is said
when they agree or the environment has none. The stand-in CLI writes the URL (write-url)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.project import run_app
from tests.support.standin import copy_project_with_standin_cli, standin_env

WRITTEN = "http://127.0.0.1:2222"
# The service itself, in a process of its own (it runs the child in the foreground): its result
# as JSON.
SCRIPT = """
import json
from pathlib import Path
from cli.services.convex.dev.run import DevOptions, prepare, run
from cli.services.project import require_project

options = DevOptions(once=True, check=False, timeout=60)
prep = prepare(require_project(Path.cwd()), options, interactive=False)
result = run(prep, options, lambda _: None)
print(json.dumps({"exit": result.exit_code, "url_change": result.url_change, "warnings": result.warnings}))
"""
HIDDEN = (
    "CONVEX_URL in the environment differs from the one convex dev wrote to .env.local, and wins over "
    "it: `app convex ping` and the app's client use the environment's. Unset it (`unset CONVEX_URL`) "
    "to use the one in .env.local."
)


@pytest.fixture
def standin(tmp_path: Path) -> Path:
    return copy_project_with_standin_cli(tmp_path / "standin")


def dev_result(project: Path, **environment: str) -> dict[str, Any]:
    env = standin_env(project, STANDIN_MODE="write-url", STANDIN_URL=WRITTEN, **environment)
    done = subprocess.run(
        [sys.executable, "-P", "-c", SCRIPT],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_written_url_the_environment_hides_is_said_with_what_to_do(standin: Path) -> None:
    result = dev_result(standin, CONVEX_URL="http://127.0.0.1:3333")

    assert result["exit"] == 0
    assert result["url_change"] == [None, WRITTEN]
    assert result["warnings"] == [HIDDEN]


@pytest.mark.parametrize("environment", [{"CONVEX_URL": WRITTEN}, {}], ids=["the same URL", "none"])
def test_nothing_is_said_when_the_environment_does_not_hide_it(
    standin: Path, environment: dict[str, str]
) -> None:
    result = dev_result(standin, **environment)

    assert result["url_change"] == [None, WRITTEN]
    assert result["warnings"] == []


def test_the_command_says_it_after_the_url_it_wrote(standin: Path) -> None:
    env = standin_env(
        standin, STANDIN_MODE="write-url", STANDIN_URL=WRITTEN, CONVEX_URL="http://127.0.0.1:3333"
    )
    done = run_app("convex", "dev", "--once", "--no-check", cwd=standin, env=env, timeout=60)

    lines = done.stderr.splitlines()
    assert done.returncode == 0, done.stderr
    said = lines.index(f"CONVEX_URL in .env.local is now {WRITTEN}")
    assert lines[said + 1] == f"warning: {HIDDEN}"  # a pipe: one line, not wrapped
