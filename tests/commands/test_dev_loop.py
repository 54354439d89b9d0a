"""The Python dev loop, end to end: `app convex dev` runs the real pinned `convex dev`, which
pushes to the loopback test deployment (it refuses what the backend refuses); each save is
followed by findings with their line and regenerated models, said between the CLI's lines.
In a real pseudo-terminal (spinner and all) and in a pipe (CI=1)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import (
    app_env,
    end_processes_mentioning,
    left_running,
    project_schema,
    write_schema,
)
from tests.support.terminal import read_chunk, start_in_terminal

pytestmark = pytest.mark.slow  # the real Convex CLI pushes several times a test

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
READY = re.compile(r"✔ \d\d:\d\d:\d\d Convex functions ready! \([\d.]+m?s\)")
PREFIX = "app · "
# tsc on every push is the CLI's own business and seconds of CPU a push: not what is tested here
NO_TSC = ("--", "--typecheck", "disable")
MODELS = Path("cli/services/convex/models")
NICKNAME = "bio: v.optional(v.string()),\n    nickname: v.optional(v.string()),"
BY_ID = '.index("by_wallet", ["wallet_address"]).index("by_id", ["username"])'


class Session:
    """`app convex dev` running, its output read with a deadline on every wait."""

    def __init__(self, project: Path, env: dict[str, str], *, terminal: bool) -> None:
        self.terminal = terminal
        self.raw = b""
        if terminal:
            self.proc, self.fd = start_in_terminal(
                [sys.executable, "-P", "-m", "cli", "convex", "dev", *NO_TSC],
                cwd=project,
                env=env,
                columns=160,
                rows=24,
            )
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-P", "-m", "cli", "convex", "dev", *NO_TSC],
                cwd=project,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            assert self.proc.stdout is not None
            self.fd = self.proc.stdout.fileno()

    @property
    def text(self) -> str:
        return ANSI.sub(b"", self.raw).decode(errors="replace").replace("\r\n", "\n")

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60) -> int:
        """Where `pattern` first matches the plain text from `after` on (seconds to wait)."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.compile(pattern).search(self.text, after)
            if found:
                return found.start()
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{pattern!r} did not appear after {after}:\n{self.text[after:]}"
            chunk = read_chunk(self.fd, min(remaining, 0.5))
            assert chunk is not None, f"output ended before {pattern!r}:\n{self.text[after:]}"
            self.raw += chunk

    def interrupt(self) -> int:
        if self.terminal:
            os.write(self.fd, b"\x03")  # Ctrl-C as typed: the terminal signals its foreground group
        else:
            self.proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 30
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.raw += read_chunk(self.fd, 0.2) or b""
        return self.proc.wait(timeout=5)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.terminal:
            os.close(self.fd)


@pytest.fixture
def dev_env(test_deployment: TestDeployment, tmp_path: Path) -> dict[str, str]:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return app_env(
        CONVEX_SELF_HOSTED_URL=test_deployment.url,
        CONVEX_SELF_HOSTED_ADMIN_KEY=ADMIN_KEY,
        HOME=str(tmp_path / "home"),
        CI="1",  # keeps the CLI's error reporter from trying the network (and its spinner off in a pipe)
    )


@pytest.fixture
def loop_project(project: Path) -> Iterator[Path]:
    yield project
    end_processes_mentioning(str(project))


def said_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if PREFIX in line]


def edit(project: Path, old: str, new: str) -> None:
    schema = project / "convex" / "schema.ts"
    text = schema.read_text()
    assert old in text
    schema.write_text(text.replace(old, new))


def follow_the_loop(project: Path, session: Session) -> None:
    """Add a field, break the push with a reserved index name, fix it, Ctrl-C."""
    at = session.wait_for(READY.pattern)

    edit(project, "bio: v.optional(v.string()),", NICKNAME)
    said = session.wait_for(r"app · models: wrote documents\.py \(fields \+users\.nickname\)", at + 1)
    ready = session.wait_for(READY.pattern, said)  # the push of that change, its line whole
    assert "nickname: str | Unset = UNSET" in (project / MODELS / "documents.py").read_text()

    edit(project, '.index("by_wallet", ["wallet_address"])', BY_ID)
    finding = session.wait_for(r"app · ✘ convex/schema\.ts:\d+:\d+: push/reserved-index", ready + 1)
    refused = session.wait_for(r"IndexNameReserved: Hit an error while pushing:", ready + 1)
    assert finding < refused  # ours first, with its line; the CLI's own error after its push
    assert "app · the backend will refuse this push" in session.text[finding:refused]

    edit(project, BY_ID, '.index("by_wallet", ["wallet_address"])')
    fixed = session.wait_for(r"app · ✔ nothing the backend would refuse now", refused)
    session.wait_for(READY.pattern, fixed)  # the loop went on

    code = session.interrupt()
    assert code == 130, session.text[-2000:]
    assert left_running(str(project)) == []


def test_the_loop_in_a_terminal(loop_project: Path, dev_env: dict[str, str]) -> None:
    session = Session(loop_project, {**dev_env, "COLUMNS": "160"}, terminal=True)
    try:
        follow_the_loop(loop_project, session)
    finally:
        session.close()

    text = session.text
    assert "⠋" in text or "Preparing Convex functions" in text  # the CLI drew its spinner
    for line in said_lines(text):
        assert line.startswith(PREFIX), line  # always at the start of a line of its own
    # Never while the spinner spins: each of our lines comes with the cursor shown.
    for found in re.finditer(rb"app \xc2\xb7 ", session.raw):
        before = session.raw[: found.start()]
        assert before.rfind(b"\x1b[?25h") >= before.rfind(b"\x1b[?25l"), session.raw[found.start() - 200 :]
    assert len(READY.findall(text)) >= 3  # every ready line whole: start, the field, the fix


def test_the_loop_in_a_pipe(loop_project: Path, dev_env: dict[str, str]) -> None:
    session = Session(loop_project, dev_env, terminal=False)
    try:
        follow_the_loop(loop_project, session)
    finally:
        session.close()

    text = session.text
    assert "\x1b" not in session.raw.decode(errors="replace")
    for line in said_lines(text):
        assert line.startswith(PREFIX), line  # lines stay whole: ours never joins one of the CLI's
    for line in text.split("\n"):
        if "Convex functions ready!" in line:
            assert READY.fullmatch(line), line


def test_stale_models_are_remade_at_start_and_warnings_shown(
    loop_project: Path, dev_env: dict[str, str]
) -> None:
    from tests.support.project import run_app

    # A field and a table the models lack; the table's index path the backend trims (a warning).
    schema = project_schema().replace("bio: v.optional(v.string()),", NICKNAME)
    extra = '  notes: defineTable({ a: v.string() }).index("by_a", ["a."] as any),\n});'
    write_schema(loop_project, schema.rstrip().removesuffix("});") + extra + "\n")

    result = run_app("convex", "dev", "--once", *NO_TSC, cwd=loop_project, env=dev_env, timeout=120)

    assert result.returncode == 0, result.output
    assert "check    ✔ 6 checks passed, 1 warning" in result.stderr
    assert "push/index-field-normalized" in result.stderr  # the warning, as the check shows it
    assert "models   wrote documents.py (tables +notes; fields +users.nickname)" in result.stderr
    assert "the schema check failed" not in result.output
    assert "nickname: str | Unset = UNSET" in (loop_project / MODELS / "documents.py").read_text()
    assert "Convex functions ready!" in result.stdout
