"""Running the project's pinned `convex dev`: preflight, the child's lifetime, what it said.

The child gets the terminal (its own process group in the foreground, so prompts and
Ctrl-C reach it directly); its output is relayed through a pseudo-terminal (colours
stay on) or a pipe, and scanned for failures we can explain. SIGINT, SIGTERM and SIGHUP
sent to us go to its group; when it exits, nothing it started is left running.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from cli.services.config.config import Settings
from cli.services.config.env_files import read_env_file
from cli.services.convex import node as toolchain
from cli.services.convex.check import CheckOptions, run_check
from cli.services.convex.report import CheckReport
from cli.services.convex.target import Target, deployment_target
from cli.services.project import Project
from cli.shared.errors import ConfigError
from cli.shared.process import interrupts_held

READY_LINE = "Convex functions ready!"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
TAIL_BYTES = 256 * 1024  # how much of the child's output is kept for scanning
STOP_GRACE = 5.0  # after a forwarded signal, how long before the group is killed

# (what the output says, what went wrong, what to do), in order of precedence.
KNOWN_FAILURES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"Your Node version \S+ is too old"),
        "node is too old for the convex CLI",
        "Install Node.js 20 or newer, then run `make setup`.",
    ),
    (
        re.compile(
            r"Failed to fetch latest backend version|Failed to download|Hit an error while running local"
        ),
        "the local backend could not be downloaded (it comes from GitHub releases: no network?)",
        "Connect to the internet, or point at a deployment: CONVEX_SELF_HOSTED_URL and "
        "CONVEX_SELF_HOSTED_ADMIN_KEY, or CONVEX_DEPLOYMENT after `npx convex login`.",
    ),
    (
        re.compile(r"Cannot prompt for input in non-interactive terminals"),
        "convex dev needed to ask a question, but there is no terminal to ask on",
        "Run it in a terminal, or configure the deployment first: CONVEX_DEPLOYMENT, "
        "CONVEX_DEPLOY_KEY, CONVEX_SELF_HOSTED_URL, or `app convex dev --local`.",
    ),
    (
        re.compile(r"You are not logged in|requires (being )?logg(ed|ing) in"),
        "you are not logged in to Convex",
        "Run `npx convex login`, or use `app convex dev --local` for the no-account local deployment.",
    ),
)


@dataclass(frozen=True)
class DevOptions:
    once: bool = False
    local: bool = False
    check: bool = True
    args: tuple[str, ...] = ()
    timeout: float | None = None  # stop the child after this long (None: never)


@dataclass
class Preparation:
    root: Path
    argv: list[str]
    env: dict[str, str]
    target: Target
    check: CheckReport | None = None  # the preflight check's report, when it ran

    @property
    def blocked(self) -> bool:
        return self.check is not None and self.check.exit_code != 0


@dataclass
class DevResult:
    exit_code: int
    child_exit_code: int | None
    timed_out: bool = False
    failure: tuple[str, str] | None = None  # (what went wrong, what to do), if recognised
    url_change: tuple[str | None, str] | None = None  # CONVEX_URL in .env.local: (before, after)
    ready: bool = False
    notes: list[str] = field(default_factory=list)


def convex_cli(root: Path) -> list[str]:
    """The project's pinned CLI; never a download of another version."""
    local_bin = root / "node_modules" / ".bin" / "convex"
    if local_bin.exists():
        return [str(local_bin)]
    return ["npx", "--no-install", "convex"]


def prepare(project: Project, options: DevOptions, *, interactive: bool) -> Preparation:
    """Everything before the child starts; raises ToolchainError/ConfigError (exit 3)."""
    root = project.root
    node = toolchain.find_node()
    node_version = toolchain.probe_node_version(node) if node else None
    problem = toolchain.toolchain_problem(
        project, node, toolchain.installed_package(root, "convex"), node_version
    )
    if problem is not None:
        raise problem
    target = deployment_target(Settings(root), local=options.local, interactive=interactive)
    env = dict(os.environ)
    if options.local:
        env["CONVEX_AGENT_MODE"] = "anonymous"  # the supported way; `convex dev --local` is deprecated
    argv = [*convex_cli(root), "dev", *(["--once"] if options.once else []), *options.args]
    # tsc is left out: convex dev type-checks convex/ itself
    check = CheckOptions(typecheck=False, reuse_evaluation=True)
    report = run_check(project, check) if options.check else None
    return Preparation(root, argv, env, target, report)


def _env_local_url(root: Path) -> str | None:
    """CONVEX_URL in .env.local, for telling the user it changed (best effort)."""
    try:
        values = read_env_file(root / ".env.local")
    except ConfigError:
        return None
    return (values or {}).get("CONVEX_URL") or None


def run(prep: Preparation, options: DevOptions, echo: Callable[[bytes], None]) -> DevResult:
    """Run the child to its end, relaying its output to `echo`; never leaves it running."""
    before = _env_local_url(prep.root)
    tail = bytearray()
    started = time.monotonic()
    with _child(prep) as (proc, output_fd):
        forwarded: list[int] = []

        def forward(signum: int, _frame: FrameType | None) -> None:
            forwarded.append(signum)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signum)

        with _handling((signal.SIGINT, signal.SIGTERM, signal.SIGHUP), forward):
            timed_out = _relay(proc, output_fd, echo, tail, started, options.timeout, forwarded)
    code = proc.returncode if proc.returncode is not None else -signal.SIGKILL
    exit_code = 128 - code if code < 0 else code
    text = ANSI.sub("", tail.decode("utf-8", errors="replace"))
    result = DevResult(exit_code, code, timed_out=timed_out, ready=READY_LINE in text)
    after = _env_local_url(prep.root)
    if after is not None and after != before:
        result.url_change = (before, after)
    result.failure = _explain(text, result)
    if options.once and exit_code == 0 and not result.ready and not _asked_for_help(options.args):
        # convex dev --once exits 0 even when the push failed (e.g. a 401 from the deployment)
        result.exit_code = 1
        result.failure = result.failure or (
            f"convex dev --once exited 0 without reporting {READY_LINE!r}: the push did not complete",
            "Read the output above for the cause; `npx convex dev --once` treats some push errors "
            "as success.",
        )
    if timed_out:
        result.exit_code = 4
        result.failure = (
            f"convex dev did not finish within {options.timeout:g} s and was stopped",
            "Check that the deployment answers (`app convex ping`), or raise --timeout.",
        )
    return result


def _asked_for_help(args: Sequence[str]) -> bool:
    return any(arg in ("-h", "--help") for arg in args)


def _explain(text: str, result: DevResult) -> tuple[str, str] | None:
    if result.exit_code == 0 and result.ready:
        return None
    for pattern, what, hint in KNOWN_FAILURES:
        if pattern.search(text):
            return what, hint
    return None


@contextlib.contextmanager
def _handling(signals: Sequence[int], handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def _child(prep: Preparation) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Start the child in its own process group; on the way out, end the whole group."""
    tty_fd = _controlling_tty()
    if sys.stdout.isatty():
        import pty

        master, slave = pty.openpty()
        _copy_window_size(sys.stdout.fileno(), slave)
        out: int = slave
    else:
        read_end, write_end = os.pipe()
        master, out = read_end, write_end

    def foreground() -> None:  # runs in the child, between fork and exec
        os.setpgid(0, 0)
        if tty_fd is not None:
            old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            with contextlib.suppress(OSError):
                os.tcsetpgrp(tty_fd, os.getpgrp())
            signal.signal(signal.SIGTTOU, old)

    with interrupts_held() as interrupted:  # a Ctrl-C now must not orphan the child
        proc = subprocess.Popen(
            prep.argv,
            cwd=prep.root,
            env=prep.env,
            stdout=out,
            stderr=out,
            preexec_fn=foreground,  # setpgid + tcsetpgrp must happen before exec, as shells do
        )
    for signum in interrupted:  # what arrived while it started is meant for it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)
    os.close(out)
    try:
        yield proc, master
    finally:
        _end_group(proc)
        if tty_fd is not None:
            old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            with contextlib.suppress(OSError):
                os.tcsetpgrp(tty_fd, os.getpgrp())
            signal.signal(signal.SIGTTOU, old)
        with contextlib.suppress(OSError):
            os.close(master)


def _controlling_tty() -> int | None:
    """stdin's terminal when we are in its foreground: the child then takes the foreground."""
    try:
        fd = sys.stdin.fileno()
        if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except (OSError, ValueError):
        pass
    return None


def _copy_window_size(from_fd: int, to_fd: int) -> None:
    import fcntl
    import termios

    with contextlib.suppress(OSError):
        size = fcntl.ioctl(from_fd, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(to_fd, termios.TIOCSWINSZ, size)


def _relay(
    proc: subprocess.Popen[bytes],
    fd: int,
    echo: Callable[[bytes], None],
    tail: bytearray,
    started: float,
    timeout: float | None,
    forwarded: list[int],
) -> bool:
    """Copy the child's output until it exits and the output ends; True if it was stopped
    for running past `timeout`."""
    timed_out = False
    stop_sent_at: float | None = None
    child_done_at: float | None = None
    output_ended = False
    while True:
        now = time.monotonic()
        if proc.poll() is not None:
            child_done_at = child_done_at or now
            # Once it has exited: stop at the end of its output, or after a second when
            # something it started holds the output open (_end_group ends that).
            if output_ended or now - child_done_at > 1.0:
                break
        if timeout is not None and not timed_out and now - started > timeout:
            timed_out = True
            stop_sent_at = now
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT)
        if forwarded and stop_sent_at is None:
            stop_sent_at = now
        if stop_sent_at is not None and now - stop_sent_at > STOP_GRACE and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        if output_ended:  # it closed its output but runs on: keep the deadlines ticking
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.1)
            continue
        try:
            ready, _, _ = select.select([fd], [], [], 0.1)
        except InterruptedError:
            continue
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the pseudo-terminal's other side is closed
            data = b""
        if not data:
            output_ended = True
            continue
        echo(data)
        tail.extend(data)
        del tail[:-TAIL_BYTES]
    proc.wait()
    return timed_out


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """End whatever is left of the child's process group: TERM, then KILL."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_GRACE)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=5)
