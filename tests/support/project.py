"""Temporary copies of the project and a bounded way to run the real `app` on them."""

from __future__ import annotations

import contextlib
import json
import os
import select
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
# The documented shape of every --json document (docs/output.md: "JSON output").
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


def private_cache(project: Path) -> Path:
    """The project's node_modules as links to each installed package but its own `.cache`, so
    that a test of what the schema cache holds is not evicted by tests running alongside."""
    modules = project / "node_modules"
    modules.unlink()
    modules.mkdir()
    for entry in (REPO / "node_modules").iterdir():
        if entry.name != ".cache":
            (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return project


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


def start_app(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for_output(proc: subprocess.Popen[bytes], text: str, timeout: float = 20) -> bytes:
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{text!r} did not appear; output so far: {seen.decode(errors='replace')}"
        ready, _, _ = select.select([proc.stdout], [], [], remaining)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            assert chunk, f"output ended before {text!r}: {seen.decode(errors='replace')}"
            seen += chunk
    return seen


def finish(proc: subprocess.Popen[bytes], timeout: float = 20) -> tuple[int, str]:
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=10)
        raise
    return proc.returncode, out.decode(errors="replace")


@dataclass(frozen=True)
class Seen:
    """A process seen running; its start time tells it from a later process given its pid."""

    pid: int
    ppid: int
    started: int  # clock ticks after boot (/proc/PID/stat field 22)
    cmdline: str

    def running(self) -> bool:
        """Whether this very process still runs (a zombie has ended: it only waits to be collected)."""
        now = _seen(self.pid)
        return now is not None and now[1] == self.started and now[2] != "Z"


def _seen(pid: int) -> tuple[int, int, str] | None:
    """(ppid, start time, state) of process `pid`, or None when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name before it may hold anything
    return int(fields[1]), int(fields[19]), fields[0]


def descendants(pid: int) -> list[Seen]:
    """The running processes below `pid`: its children, theirs, and so on."""
    everyone: list[Seen] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        found = _seen(int(entry.name))
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if found is not None and found[2] != "Z":
            everyone.append(Seen(int(entry.name), found[0], found[1], cmdline.strip()))
    below: list[Seen] = []
    parents = {pid}
    while True:
        more = [p for p in everyone if p.ppid in parents and p not in below]
        if not more:
            return below
        below += more
        parents |= {p.pid for p in more}


def outliving(seen: list[Seen], within: float) -> list[Seen]:
    """Those of `seen` still running `within` seconds from now (none as soon as all are gone)."""
    deadline = time.monotonic() + within
    while (left := [p for p in seen if p.running()]) and time.monotonic() < deadline:
        time.sleep(0.01)
    return left


def end_seen(seen: list[Seen]) -> None:
    """Test clean-up: SIGKILL those of `seen` that still run (after a failed test)."""
    for process in seen:
        if process.running():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(process.pid, signal.SIGKILL)
