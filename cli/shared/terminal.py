"""A child that owns the terminal while it runs, and its output relayed to ours.

The child runs in its own process group, made the terminal's foreground group between
fork and exec (as shells do), so its prompts work and Ctrl-C typed in the terminal reaches
it directly. Its output comes through a pseudo-terminal when ours is one (colours stay
on), else a pipe. Signals sent to us are forwarded to its group; when it ends, nothing it
started is left running and the terminal's foreground is ours again.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from cli.shared.output import is_terminal
from cli.shared.process import end_group, signal_group
from cli.shared.signals import STOP_SIGNALS, handled, held

STOP_GRACE = 5.0  # after a forwarded signal, how long before the group is killed
TAIL_BYTES = 256 * 1024  # how much of the output is kept for the caller to read


@dataclass
class Relayed:
    """How the child ended and the last of what it said."""

    returncode: int  # negative: the signal that ended it
    timed_out: bool
    tail: bytes = field(repr=False)


def _controlling_tty() -> int | None:
    """stdin's terminal when we are in its foreground: the child then takes the foreground."""
    try:
        fd = sys.stdin.fileno()
        if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except (OSError, ValueError, AttributeError):  # AttributeError: stdin is closed (None)
        pass
    return None


def _give_foreground(tty_fd: int, pgrp: int) -> None:
    """Make `pgrp` the terminal's foreground group. A background process that does this
    gets SIGTTOU, which would stop it: ignore that while it happens."""
    old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.tcsetpgrp(tty_fd, pgrp)
    signal.signal(signal.SIGTTOU, old)


def _copy_window_size(from_fd: int, to_fd: int) -> None:
    import fcntl
    import termios

    with contextlib.suppress(OSError):
        size = fcntl.ioctl(from_fd, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(to_fd, termios.TIOCSWINSZ, size)


@contextlib.contextmanager
def _started(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Start the child in its own process group; on the way out, end the whole group."""
    tty_fd = _controlling_tty()
    if is_terminal(sys.stdout):
        import pty

        master, out = pty.openpty()
        _copy_window_size(sys.stdout.fileno(), out)
    else:
        master, out = os.pipe()

    def foreground() -> None:  # runs in the child, between fork and exec
        os.setpgid(0, 0)
        if tty_fd is not None:
            _give_foreground(tty_fd, os.getpgrp())

    with held() as interrupted:  # a Ctrl-C now must not orphan the child
        proc = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdout=out, stderr=out, preexec_fn=foreground
        )
    for signum in interrupted:  # what arrived while it started is meant for it
        signal_group(proc.pid, signum)
    os.close(out)
    try:
        yield proc, master
    finally:
        end_group(proc, grace=STOP_GRACE)
        if tty_fd is not None:
            _give_foreground(tty_fd, os.getpgrp())
        with contextlib.suppress(OSError):
            os.close(master)


def run_in_foreground(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    echo: Callable[[bytes], None],
    timeout: float | None = None,
) -> Relayed:
    """Run the child to its end, relaying its output to `echo`; never leaves it running.
    Past `timeout` it gets SIGINT, and SIGKILL STOP_GRACE later, as after a forwarded signal."""
    started = time.monotonic()
    tail = bytearray()
    with _started(argv, cwd, env) as (proc, output_fd):
        forwarded: list[int] = []

        def forward(signum: int, _frame: FrameType | None) -> None:
            forwarded.append(signum)
            signal_group(proc.pid, signum)

        with handled(STOP_SIGNALS, forward):
            timed_out = _relay(proc, output_fd, echo, tail, started, timeout, forwarded)
    code = proc.returncode if proc.returncode is not None else -signal.SIGKILL
    return Relayed(code, timed_out, bytes(tail))


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
            # something it started holds the output open (end_group ends that).
            if output_ended or now - child_done_at > 1.0:
                break
        if timeout is not None and not timed_out and now - started > timeout:
            timed_out = True
            stop_sent_at = now
            signal_group(proc.pid, signal.SIGINT)
        if forwarded and stop_sent_at is None:
            stop_sent_at = now
        if stop_sent_at is not None and now - stop_sent_at > STOP_GRACE and proc.poll() is None:
            signal_group(proc.pid, signal.SIGKILL)
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
