"""Temporary copies of the project and a bounded way to run the real `app` on them."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("convex", "package.json", "package-lock.json", ".env.example", "cli/services/convex/models")
RUN_TIMEOUT = 60.0
# The documented shape of every --json document (README: "JSON output").
OUTPUT_SCHEMA: dict[str, Any] = json.loads((REPO / "docs" / "output.schema.json").read_text(encoding="utf-8"))


def copy_project(dest: Path, *, node_modules: bool = True) -> Path:
    """A copy of the project's Convex files, sharing the installed node_modules by a link."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("_generated", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    if node_modules:
        (dest / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return dest


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def app_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVEX_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "PYTHONUNBUFFERED": "1"})
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_app(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT) -> Result:
    """Run `python -m cli ARGS` as a real process, bounded by a deadline. With -P: a project
    copy holds cli/services/convex/models/, which must not shadow the installed app."""
    proc = subprocess.run(
        [sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=env if env is not None else app_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write_schema(project: Path, body: str) -> None:
    (project / "convex" / "schema.ts").write_text(body, encoding="utf-8")


SCHEMA_HEADER = (
    'import { defineSchema, defineTable } from "convex/server";\nimport { v } from "convex/values";\n'
)


def project_schema() -> str:
    return (REPO / "convex" / "schema.ts").read_text(encoding="utf-8")


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention `text` (e.g. a temp dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and str(os.getpid()) != entry.name:
            found.append(cmdline.strip())
    return found


def schema_export(project: Path, schema_file: str = "convex/schema.ts") -> dict[str, Any]:
    """`schema_file` of `project` as the backend sees it, evaluated by the real convex package."""
    from cli.services.convex.schema.evaluation import helper
    from cli.shared.process import Bounded

    argv = ["node", helper(), str(project), schema_file]
    done = Bounded(argv, cwd=project, timeout=30, result_file=True).finish()
    assert isinstance(done.result, dict), done.stdout + done.stderr
    result = done.result["results"][0]
    assert result["ok"], result
    schema: dict[str, Any] = result["schema"]
    return schema


# A stand-in for `convex` in wrapper tests. Python rather than Node: the wrapper cannot tell
# them apart, and Python without site-packages starts in a tenth of Node's CPU time.
STANDIN_CLI = r"""#!{python} -IS
# Behaves as STANDIN_MODE says, and records what it received in STANDIN_LOG for the tests.
import json, os, signal, subprocess, sys, time


def log(line):
    with open(os.environ["STANDIN_LOG"], "a") as file:
        file.write(line + "\n")


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def run_on():
    while True:
        time.sleep(1000)


log("started " + compact({"argv": sys.argv[1:], "agent": os.environ.get("CONVEX_AGENT_MODE")}))
# /proc/self/stat: field 5 is our process group, field 8 the terminal's foreground group.
stat = open("/proc/self/stat").read().split(") ")[1].split(" ")
log("terminal " + compact({"tty": sys.stdout.isatty(), "foreground": stat[2] == stat[5]}))
mode = os.environ.get("STANDIN_MODE") or "exit"
if mode == "exit":
    print(os.environ.get("STANDIN_OUTPUT", ""), flush=True)
    sys.exit(int(os.environ.get("STANDIN_CODE") or 0))
if mode == "write-url":
    with open(".env.local", "a") as env_local:
        env_local.write("CONVEX_URL=" + os.environ["STANDIN_URL"] + "\n")
    print("Convex functions ready!", flush=True)
    sys.exit(0)
if mode in ("run", "hang"):
    # Like convex dev: keeps running, with a child of its own.
    child = subprocess.Popen(["sleep", "3600"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
if mode == "run":
    # ... until a signal.
    def stop(number, frame):
        name = signal.Signals(number).name
        log("got " + name)
        child.terminate()
        os._exit(130 if name == "SIGINT" else 143)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    log("grandchild " + str(child.pid))
    log("ready")  # only now are the handlers in place
    print("Convex functions ready! (stand-in)", flush=True)
    run_on()
if mode == "quiet-hang":
    # Closes its output, then runs on and ignores SIGINT: only the deadline's SIGKILL ends it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    log("ready")
    os.close(1)
    os.close(2)
    run_on()
if mode == "hang":
    # Ignores SIGINT, as a CLI stuck retrying might: only SIGKILL ends it.
    signal.signal(signal.SIGINT, lambda number, frame: log("ignored SIGINT"))
    log("grandchild " + str(child.pid))
    log("ready")
    run_on()
"""


def copy_project_with_standin_cli(dest: Path) -> Path:
    """A project copy whose node_modules is the real one except `.bin/convex`, a stand-in."""
    copy_project(dest, node_modules=False)
    modules = dest / "node_modules"
    modules.mkdir()
    real = REPO / "node_modules"
    for entry in real.iterdir():
        if entry.name != ".bin":
            (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    bin_dir = modules / ".bin"
    bin_dir.mkdir()
    for entry in (real / ".bin").iterdir():
        if entry.name != "convex":
            (bin_dir / entry.name).symlink_to(entry.resolve())
    standin = bin_dir / "convex"
    standin.write_text(STANDIN_CLI.replace("{python}", sys.executable, 1), encoding="utf-8")
    standin.chmod(0o755)
    return dest


def end_processes_mentioning(text: str) -> None:
    """Test clean-up: kill whatever still runs from a test's folder (after a failed test)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited; it only waits for its parent to collect it
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def left_running(text: str, within: float = 5.0) -> list[str]:
    """The processes mentioning `text` that are still there `within` seconds from now (none
    as soon as they are gone): killed processes end once the kernel schedules them."""
    deadline = time.monotonic() + within
    while (found := processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether process `pid` has ended, or ends `within` seconds: a process sent SIGKILL
    ends once the kernel schedules it, which on a busy machine is not at once."""
    deadline = time.monotonic() + within
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def signal_once_running(
    args: list[str], *, cwd: Path, sig: int, child: str, mentioning: str, timeout: float = 20
) -> Result:
    """Run `python -m cli ARGS`; as soon as a process whose command line mentions both
    `child` and `mentioning` runs, send `sig` to the app, and collect how it ended."""
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not any(child in p for p in processes_mentioning(mentioning)):
            assert time.monotonic() < deadline, f"{child} never started"
            time.sleep(0.02)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    return Result(proc.returncode, out, err)
