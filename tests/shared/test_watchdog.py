"""Nothing the app starts outlives it, even when it dies by SIGKILL: the kernel's parent-death
signal ends each child, the watchdog each child's group (cli/shared/process.py). Each test
runs a small app (DRIVER) that starts children through `start_group`, then kills it."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.shared import process
from cli.shared.process import Bounded
from tests.support.project import Seen, descendants, end_seen, outliving

# How long after the app's death what it started may still be there: killed processes end
# once the kernel schedules them (and the watchdog once it reads the end of its pipe).
ENDS_WITHIN = 1.0
QUIET = "stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL"
DRIVER = f"""
import json, os, subprocess, sys, threading, time
from cli.shared import process

scenario, *rest = sys.argv[1:]
said = {{}}
if scenario == "grandchild":
    child = process.start_group(
        ["sh", "-c", "sleep 300 & echo $!; wait"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE
    )
    said = {{"child": child.pid, "grandchild": int(child.stdout.readline())}}
elif scenario == "main":
    said["child"] = process.start_group(["sleep", "300"], {QUIET}).pid
elif scenario == "thread":
    def start():
        said["child"] = process.start_group(["sleep", "300"], {QUIET}).pid
        said["thread"] = threading.get_native_id()
    worker = threading.Thread(target=start)
    worker.start()
    worker.join()
    # join returns before the system's thread has quite ended: wait for that too.
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/self/task/{{said['thread']}}") and time.monotonic() < deadline:
        time.sleep(0.01)
elif scenario == "slow-prctl":  # the child asks for the signal only after a while
    prctl = process._prctl()

    def slow(*args):
        time.sleep(float(rest[0]))
        return prctl(*args)

    process._prctl = lambda: slow
    said["child"] = process.start_group(["sleep", "300"], {QUIET}).pid
elif scenario in ("listed", "forgotten"):
    process._watchdog.watch(int(rest[0]))
    if scenario == "forgotten":
        process._watchdog.forget(int(rest[0]))
said["watchdog"] = process._watchdog.pid
print(json.dumps(said), flush=True)
time.sleep(300)
"""


class App:
    """The driver running one scenario, and what it said it started."""

    def __init__(self, scenario: str, *args: str, timeout: float = 30) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, scenario, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            raise AssertionError(f"the driver said nothing: {err.decode(errors='replace')}")
        self.said: dict[str, int] = json.loads(line)
        self.seen = descendants(self.proc.pid)

    def started(self, name: str) -> Seen:
        """The process the driver said it started as `name`, running now."""
        found = [p for p in self.seen if p.pid == self.said[name]]
        assert found, f"{name} ({self.said[name]}) is not running: {self.seen}"
        return found[0]

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def apps() -> Iterator[list[App]]:
    """The drivers a test starts; at its end, whatever of theirs still runs is killed."""
    started: list[App] = []
    yield started
    for app in started:
        if app.proc.poll() is None:
            app.kill()
        end_seen(app.seen)


def test_a_grandchild_ends_with_the_app(apps: list[App]) -> None:
    app = App("grandchild")
    apps.append(app)
    started = [app.started("child"), app.started("grandchild"), app.started("watchdog")]

    app.kill()

    assert outliving(started, ENDS_WITHIN) == []


@pytest.mark.waits
@pytest.mark.parametrize("forgotten", [False, True])
def test_a_group_taken_off_the_list_is_not_killed(apps: list[App], forgotten: bool) -> None:
    # A group of the test's own stands for a later process given an ended group's number.
    victim = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        victim_seen = next(p for p in descendants(os.getpid()) if p.pid == victim.pid)
        app = App("forgotten" if forgotten else "listed", str(victim.pid))
        apps.append(app)
        watchdog = app.started("watchdog")

        app.kill()

        assert outliving([watchdog], ENDS_WITHIN) == []  # it has done all it was to do
        # A SIGKILL sent ends its process once the kernel schedules it: give that its time.
        assert outliving([victim_seen], ENDS_WITHIN) == ([victim_seen] if forgotten else [])
    finally:
        victim.kill()
        victim.wait(timeout=10)


@pytest.mark.waits
def test_a_child_started_by_a_thread_that_ended_runs_on_until_the_app_dies(apps: list[App]) -> None:
    app = App("thread")
    apps.append(app)
    child = app.started("child")  # the thread that started it has ended (the driver waited)

    assert outliving([child], 1.0) == [child]  # a second on, it still runs

    app.kill()

    assert outliving([child], ENDS_WITHIN) == []  # the watchdog ended it


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_the_kernel_ends_a_child_when_the_watchdog_is_gone_too(apps: list[App]) -> None:
    app = App("main")
    apps.append(app)
    child, watchdog = app.started("child"), app.started("watchdog")
    os.kill(watchdog.pid, signal.SIGKILL)
    assert outliving([watchdog], 10) == []

    app.kill()

    assert outliving([child], ENDS_WITHIN) == []


@pytest.mark.waits
@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_a_child_whose_app_died_before_it_asked_for_the_signal_ends_itself() -> None:
    delay = 1.0
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "slow-prctl", str(delay)], stdin=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not (forked := descendants(driver.pid)):  # forked, not yet asked for the signal
            assert time.monotonic() < deadline, "the driver started no child"
            time.sleep(0.01)

        driver.kill()
        driver.wait(timeout=10)

        # No watchdog yet (it starts once the first child has), and no signal will come.
        assert outliving(forked, delay + ENDS_WITHIN) == []
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait(timeout=10)
        end_seen(forked)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_watchdog_holds_nothing_of_the_apps_but_its_pipe(apps: list[App]) -> None:
    app = App("main")  # its output is a pipe, which the test would wait on to end
    apps.append(app)
    watchdog = app.started("watchdog")

    folder = f"/proc/{watchdog.pid}/fd"
    held = {fd: os.readlink(f"{folder}/{fd}") for fd in os.listdir(folder)}

    assert held.keys() == {"0", "1", "2"}, held
    assert held["0"].startswith("pipe:") and held["1"] == held["2"] == os.devnull


def test_ended_groups_are_taken_off_the_list(tmp_path: Path) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    finished = Bounded([sys.executable, "-c", "pass"], cwd=tmp_path, timeout=30)
    timed_out = Bounded(sleeper, cwd=tmp_path, timeout=0.1)
    killed = Bounded(sleeper, cwd=tmp_path, timeout=30)
    ended = process.start_group(sleeper)
    groups = [b.proc.pid for b in (finished, timed_out, killed)] + [ended.pid]
    assert set(groups) <= process._watchdog.groups

    assert not finished.finish().timed_out
    assert timed_out.finish().timed_out
    killed.kill()
    process.end_group(ended)

    assert not set(groups) & process._watchdog.groups


def test_no_watchdog_before_the_first_child() -> None:
    # A command that starts nothing must not pay for it at start-up.
    code = "import cli.main, cli.shared.process as p; print(p._watchdog.pid)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert done.stdout.strip() == "None", done.stderr
