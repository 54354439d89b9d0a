"""`make bench`'s watching rows: from a save to `check --watch`'s verdict line and to the models
`dev` regenerates, and what the watching processes cost while nothing changes.

Each save toggles an optional field, so that every round has something to evaluate; the time
runs from the write to the moment the line is read from the command's output.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SAVES = 11
IDLE_SECONDS = 30.0
FIELD = "defineTable({"  # the first table's: a field is added after it, then removed
TOGGLED = FIELD + "\n    toggled: v.optional(v.string()),"


@dataclass
class Measured:
    name: str
    value: float
    goal: float
    unit: str = "s"

    @property
    def met(self) -> bool:
        return self.value <= self.goal

    def line(self) -> str:
        verdict = "ok" if self.met else "MISSED"
        shown = f"{self.value * 1000:9.1f} ms" if self.unit == "s" else f"{self.value:9.3f} {self.unit}"
        goal = f"{self.goal * 1000:g} ms" if self.unit == "s" else f"{self.goal:g} {self.unit}"
        return f"  {self.name:<44} {shown}   (goal <= {goal})  {verdict}"


class Output:
    """A child's output, read with a deadline."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.text = ""

    def until(self, pattern: str, after: int, timeout: float = 60) -> tuple[int, float]:
        """Where `pattern` matches from `after` on, and when it was read."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            found = compiled.search(self.text, after)
            if found:
                return found.end(), time.perf_counter()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SystemExit(f"{pattern!r} did not appear:\n{self.text[after:][-3000:]}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    raise SystemExit(f"output ended before {pattern!r}:\n{self.text[-3000:]}")
                self.text += chunk.decode(errors="replace")


def _toggle(schema: Path, on: bool) -> float:
    text = schema.read_text(encoding="utf-8")
    text = text.replace(TOGGLED, FIELD) if not on else text.replace(FIELD, TOGGLED, 1)
    began = time.perf_counter()
    schema.write_text(text, encoding="utf-8")
    return began


def _cpu_seconds(pids: list[int]) -> float:
    """User and system time of these processes (not their children), from /proc."""
    total = 0
    for pid in pids:  # every thread: V8's workers too
        for task in Path(f"/proc/{pid}/task").iterdir():
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def _servers(root: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"serve.mjs" in cmdline and str(root).encode() in cmdline:
                pids.append(int(entry.name))
    return pids


SETTLE_SECONDS = 5.0  # after the last answer: esbuild's service stops (3 s) and V8 collects once


def _idle_rows(proc: subprocess.Popen[bytes], root: Path, command: str) -> list[Measured]:
    """CPU seconds the app (its watcher) and its warm Node spend in IDLE_SECONDS of nothing
    changing, from SETTLE_SECONDS after the last answer."""
    time.sleep(SETTLE_SECONDS)
    servers = _servers(root)
    app_before, node_before = _cpu_seconds([proc.pid]), _cpu_seconds(servers)
    time.sleep(IDLE_SECONDS)
    app, node = _cpu_seconds([proc.pid]) - app_before, _cpu_seconds(servers) - node_before
    return [
        Measured(f"{command} idle 30 s: the app (watcher)", app, 0.01, "s CPU"),
        Measured(f"{command} idle 30 s: its warm Node", node, 0.1, "s CPU"),
    ]


def check_watch_rows(
    app: str, schema_text: str | None, label: str, goal: float, idle: bool
) -> list[Measured]:
    from tests.support.project import copy_project

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        schema = project / "convex" / "schema.ts"
        if schema_text is not None:
            schema.write_text(schema_text, encoding="utf-8")
            subprocess.run(
                [app, "convex", "codegen"], cwd=project, capture_output=True, timeout=120, check=True
            )
        proc = subprocess.Popen(
            [app, "convex", "check", "--watch"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            out = Output(proc)
            at, _ = out.until(r"for changes \(Ctrl-C ends\)", 0)
            times = []
            for i in range(SAVES):
                time.sleep(0.3)  # let the last round's output settle
                saved = _toggle(schema, on=i % 2 == 0)
                at, read = out.until(r"\d+/\d+ checks passed[^\n]*\n", at)
                times.append(read - saved)
            rows.append(Measured(f"save -> check --watch verdict, {label}", statistics.median(times), goal))
            if idle:
                rows += _idle_rows(proc, project, "check --watch")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return rows


def dev_rows(app: str) -> list[Measured]:
    from tests.loopback.client import TestDeployment
    from tests.support.project import app_env, copy_project

    key = f"bench|{secrets.token_hex(16)}"
    with TestDeployment() as deployment, tempfile.TemporaryDirectory() as tmp:
        deployment.set_info(admin_key=key)
        project = copy_project(Path(tmp) / "project")
        schema = project / "convex" / "schema.ts"
        env = app_env(
            CONVEX_SELF_HOSTED_URL=deployment.url,
            CONVEX_SELF_HOSTED_ADMIN_KEY=key,
            HOME=str(Path(tmp) / "home"),
            CI="1",
        )
        proc = subprocess.Popen(
            [app, "convex", "dev"], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            out = Output(proc)
            at, _ = out.until(r"Convex functions ready!", 0, timeout=120)
            times = []
            for i in range(SAVES):
                saved = _toggle(schema, on=i % 2 == 0)
                at, read = out.until(r"app · models: wrote documents\.py[^\n]*\n", at)
                times.append(read - saved)
                at, _ = out.until(
                    r"Convex functions ready!", at, timeout=120
                )  # its push, before the next save
            models = Measured("save -> models regenerated while dev runs", statistics.median(times), 1.0)
            idle = _idle_rows(proc, project, "dev")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return [models, *idle]


def watch_rows(app: str) -> list[Measured]:
    from tests.support.large_schema import large_schema

    return [
        *check_watch_rows(app, None, "story schema", 0.2, idle=True),
        *check_watch_rows(app, large_schema(85, 12), "85 tables x 12 fields", 1.0, idle=False),
        *dev_rows(app),
    ]
