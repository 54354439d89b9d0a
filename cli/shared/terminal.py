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
from cli.shared.process import end_group, signal_group, start_group
from cli.shared.signals import STOP_SIGNALS, handled, held

STOP_GRACE = 5.0  # after a forwarded signal, how long before the group is killed
TAIL_BYTES = 256 * 1024  # how much of the output is kept for the caller to read
# With nothing to do, look at the child this often: SIGCHLD wakes the relay when it exits,
# this is for a signal missed while the handler was being set up.
IDLE_WAKE = 5.0
CURSOR_HIDDEN, CURSOR_SHOWN = b"\x1b[?25l", b"\x1b[?25h"


class Interjections:
    """Lines another thread has to say while the child runs, written where they garble
    nothing: after a whole line of the child's, and on a terminal not while its cursor is
    hidden (a spinner redraws the lines above it; ora hides the cursor while one spins)."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._queue: list[bytes] = []
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.at_line_start = True
        self.cursor_hidden = False
        self._carry = b""

    def post(self, data: bytes) -> None:
        with self._lock:
            self._queue.append(data)
        self.wake()

    def wake(self) -> None:
        """Have the relay look again (safe in a signal handler)."""
        with contextlib.suppress(OSError):  # the pipe is full: it is awake already
            os.write(self.wake_w, b"x")

    def drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while os.read(self.wake_r, 512):
                pass

    def seen(self, data: bytes) -> None:
        """Note where the child's output stands after `data`."""
        self.at_line_start = data.endswith(b"\n")
        text = self._carry + data
        hidden, shown = text.rfind(CURSOR_HIDDEN), text.rfind(CURSOR_SHOWN)
        if hidden != shown:  # one of them appears: the later one tells
            self.cursor_hidden = hidden > shown
        self._carry = data[-5:]  # an escape sequence split between two reads

    def due(self, *, force: bool = False) -> bytes:
        """What may be written now (b"" while the child's output is mid-line or spinning)."""
        if not force and (not self.at_line_start or self.cursor_hidden):
            return b""
        with self._lock:
            data, self._queue = b"".join(self._queue), []
        return data

    def close(self) -> None:
        for fd in (self.wake_r, self.wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


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

    def foreground() -> None:  # runs in the child, between fork and exec, in its new group
        if tty_fd is not None:
            _give_foreground(tty_fd, os.getpgrp())

    with held() as interrupted:  # a Ctrl-C now must not orphan the child
        # Our session, so that it can own our terminal; a group of its own all the same.
        proc: subprocess.Popen[bytes] = start_group(
            argv, new_session=False, before_exec=foreground, cwd=cwd, env=dict(env), stdout=out, stderr=out
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
    interjections: Interjections | None = None,
) -> Relayed:
    """Run the child to its end, relaying its output to `echo`; never leaves it running.
    Past `timeout` it gets SIGINT, and SIGKILL STOP_GRACE later, as after a forwarded signal.
    What is posted to `interjections` meanwhile is written between the child's lines."""
    started = time.monotonic()
    tail = bytearray()
    own = interjections is None
    said = interjections if interjections is not None else Interjections()
    try:
        with _started(argv, cwd, env) as (proc, output_fd):
            forwarded: list[int] = []

            def forward(signum: int, _frame: FrameType | None) -> None:
                forwarded.append(signum)
                signal_group(proc.pid, signum)
                said.wake()

            def child_changed(_signum: int, _frame: FrameType | None) -> None:
                said.wake()  # it may have exited with its output held open by what it started

            with handled(STOP_SIGNALS, forward), handled((signal.SIGCHLD,), child_changed):
                timed_out = _relay(proc, output_fd, echo, tail, started, timeout, forwarded, said)
    finally:
        if own:
            said.close()
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
    said: Interjections,
) -> bool:
    """Copy the child's output until it exits and the output ends; True if it was stopped
    for running past `timeout`. Waits without a timer tick: the output, a posted line or a
    signal wakes it, else a deadline or IDLE_WAKE."""
    timed_out = False
    stop_sent_at: float | None = None
    child_done_at: float | None = None
    output_ended = False
    while True:
        now = time.monotonic()
        due = said.due()
        if due:
            echo(due)
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
        wait = IDLE_WAKE if child_done_at is None else 0.1
        if timeout is not None and not timed_out:
            wait = min(wait, max(0.0, started + timeout - now))
        if stop_sent_at is not None or forwarded:
            wait = 0.1
        try:
            ready, _, _ = select.select([fd, said.wake_r], [], [], wait)
        except InterruptedError:
            continue
        if said.wake_r in ready:
            said.drain_wake()
        if fd not in ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the pseudo-terminal's other side is closed
            data = b""
        if not data:
            output_ended = True
            continue
        echo(data)
        said.seen(data)
        tail.extend(data)
        del tail[:-TAIL_BYTES]
    proc.wait()
    rest = said.due(force=True)  # the child is gone: nothing of its can be garbled now
    if rest:
        echo(rest)
    return timed_out
