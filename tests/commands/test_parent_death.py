"""SIGKILL to the app, or to its whole process group (what CI runners and `timeout -s KILL`
send), gives it no chance to end what it started, each child in a group of its own: nothing
of that may be left a second later all the same (cli/shared/process.py: the kernel's
parent-death signal and the watchdog). During `app convex dev`, the real CLI against the
loopback test deployment and the stand-in with a grandchild that never ends by itself, and
during `app convex ping --sync`, its probe waiting on a sync path that never answers."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import (
    Seen,
    app_env,
    descendants,
    end_processes_mentioning,
    end_seen,
    left_running,
    outliving,
    wait_for_output,
)
from tests.support.standin import (
    copy_project_with_standin_cli,
    grandchild_pid,
    standin_env,
    wait_until_ready,
)

# Killed processes end once the kernel schedules them, and the watchdog kills the groups once
# it reads the end of its pipe: both within this on a busy machine.
ENDS_WITHIN = 1.0
ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"
NO_TSC = ("--", "--typecheck", "disable")  # tsc is seconds of CPU a push, and not what is tested

KILLS: dict[str, Callable[[int], None]] = {
    "the app": lambda pid: os.kill(pid, signal.SIGKILL),
    "its group": lambda pid: os.killpg(pid, signal.SIGKILL),
}


class App:
    """The app running in a process group of its own (the one a group's kill is sent to)."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "cli", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.seen: list[Seen] = []

    def wait_for_processes(self, *mentioning: str, timeout: float = 60) -> list[Seen]:
        """Everything below the app, once each of `mentioning` is in a command line there."""
        deadline = time.monotonic() + timeout
        while True:
            self.seen = descendants(self.proc.pid)
            missing = [text for text in mentioning if not any(text in p.cmdline for p in self.seen)]
            if not missing:
                return self.seen
            assert self.proc.poll() is None, f"the app ended ({self.proc.returncode}) before {missing} ran"
            assert time.monotonic() < deadline, f"{missing} never ran: {self.seen}"
            time.sleep(0.05)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        end_seen(self.seen)  # only matters when a test failed


@pytest.fixture
def apps() -> Iterator[list[App]]:
    started: list[App] = []
    yield started
    for app in started:
        app.close()


def killed(app: App, kill: str) -> list[Seen]:
    """What the app started that is still running ENDS_WITHIN after `kill` reached it."""
    seen = app.seen
    KILLS[kill](app.proc.pid)
    left = outliving(seen, ENDS_WITHIN)
    app.proc.wait(timeout=10)
    return left


@pytest.fixture
def dev_env(test_deployment: TestDeployment, tmp_path: Path) -> dict[str, str]:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return app_env(
        CONVEX_SELF_HOSTED_URL=test_deployment.url,
        CONVEX_SELF_HOSTED_ADMIN_KEY=ADMIN_KEY,
        HOME=str(tmp_path / "home"),
        CI="1",  # keeps the CLI's error reporter from trying the network
    )


@pytest.fixture
def loop_project(project: Path) -> Iterator[Path]:
    yield project
    end_processes_mentioning(str(project))  # only matters when a test failed


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[Path]:
    project = copy_project_with_standin_cli(tmp_path / "standin")
    yield project
    end_processes_mentioning(str(project))


@pytest.mark.slow  # the real Convex CLI
@pytest.mark.parametrize("kill", KILLS)
def test_dev_leaves_nothing(loop_project: Path, dev_env: dict[str, str], apps: list[App], kill: str) -> None:
    app = App(["convex", "dev", *NO_TSC], loop_project, dev_env)
    apps.append(app)
    wait_for_output(app.proc, "Convex functions ready!", timeout=90)
    # convex dev and its esbuild service; the warm evaluator (serve.mjs); the watchdog
    app.wait_for_processes("convex dev", "esbuild", "serve.mjs", "app-watchdog")

    assert killed(app, kill) == []
    assert left_running(str(loop_project), within=0) == []  # nor anything started meanwhile


@pytest.mark.parametrize("kill", KILLS)
def test_dev_leaves_no_grandchild(standin: Path, apps: list[App], kill: str) -> None:
    app = App(["convex", "dev"], standin, standin_env(standin, STANDIN_MODE="run"))
    apps.append(app)
    wait_for_output(app.proc, "Convex functions ready!")
    wait_until_ready(standin)
    seen = app.wait_for_processes("standin_convex.py", "app-watchdog")
    assert grandchild_pid(standin) in {p.pid for p in seen}  # a sleep that never ends by itself

    assert killed(app, kill) == []


@pytest.mark.parametrize("kill", KILLS)
def test_ping_sync_leaves_no_probe(
    project: Path, test_deployment: TestDeployment, apps: list[App], kill: str
) -> None:
    test_deployment.misbehave("silent", paths=["/api/sync"])  # the probe waits for an answer
    args = ["convex", "ping", "--sync", "--timeout", "60", "--url", test_deployment.url]
    app = App(args, project, app_env())
    apps.append(app)
    app.wait_for_processes("cli.services.convex.ping.sync_probe", "app-watchdog")

    assert killed(app, kill) == []
    assert left_running(test_deployment.url, within=0) == []
