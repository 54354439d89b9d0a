"""Pseudo-terminals: the app's output as a terminal receives it (or a pipe, to compare), a
process whose controlling terminal is one (as a shell starts it: Ctrl-C typed reaches it), and
reading either with a deadline."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

# What a terminal acts on rather than shows: CSI sequences, OSC ones and charset selection.
ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")


def open_terminal(columns: int | None = None, rows: int = 24) -> tuple[int, int]:
    """A new pseudo-terminal, (master, slave); `columns` x `rows` as `stty` sets it when given
    (else the size stays unknown, 0 x 0)."""
    master, slave = os.openpty()
    if columns is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def start_in_terminal(
    argv: list[str], *, cwd: Path, env: dict[str, str], columns: int | None = None, rows: int = 24
) -> tuple[subprocess.Popen[bytes], int]:
    """`argv` started as a shell starts a command: stdin, stdout and stderr on a new pseudo-
    terminal that is the controlling terminal of the new session it leads, so Ctrl-C written to
    the master signals its foreground group. The process and the master (the caller closes it)."""
    master, slave = open_terminal(columns, rows)

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=controlling_terminal,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    return process, master


def read_chunk(fd: int, wait: float) -> bytes | None:
    """What `fd` gives within `wait` seconds (b"" when nothing came), or None once it has
    ended: end of file, or EIO from a pseudo-terminal whose other side has closed."""
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the terminal's other side closed
        return None
    return chunk or None


def read_until(fd: int, text: bytes, timeout: float) -> bytes:
    """What `fd` gives until `text` has appeared, or until it ends (the caller's assertions on
    what came then tell); fails when `timeout` seconds pass first."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{text!r} did not appear: {seen.decode(errors='replace')}"
        chunk = read_chunk(fd, remaining)
        if chunk is None:
            break
        seen += chunk
    return seen


@dataclass
class Output:
    """A run of the app: its exit code and what it wrote, each chunk with the seconds after
    the start at which it came."""

    returncode: int
    chunks: list[tuple[float, bytes]] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)

    def when(self, text: bytes) -> float:
        """When `text` was complete in the output."""
        seen = b""
        for at, chunk in self.chunks:
            seen += chunk
            if text in seen:
                return at
        raise AssertionError(f"{text!r} never appeared in {seen!r}")


def run_in_terminal(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    *,
    timeout: float,
    wait: float = 10,
    columns: int | None = None,
    rows: int = 24,
    pipe: bool = False,
    stop_at_exit: bool = False,
    app: list[str] | None = None,
) -> Output:
    """Run `python -P -m cli ARGS` (or `app` ARGS), stdin closed, stdout and stderr on one new pseudo-terminal
    (`columns` x `rows` when given; see open_terminal), or on one pipe with `pipe`. What it
    writes is read as it comes until the output ends or `timeout` seconds from the start; with
    `stop_at_exit`, also once the app has exited and nothing is left to read (a process it left
    may hold the terminal open). Then it must exit within `wait` seconds (else TimeoutExpired);
    it is killed on the way out whatever happened."""
    master, out = os.pipe() if pipe else open_terminal(columns, rows)
    try:
        began = time.monotonic()
        try:
            proc = subprocess.Popen(
                [*(app or [sys.executable, "-P", "-m", "cli"]), *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        finally:
            os.close(out)
        chunks: list[tuple[float, bytes]] = []
        try:
            while time.monotonic() - began < timeout:
                chunk = read_chunk(master, 0.1)
                if chunk is None:
                    break
                if chunk:
                    chunks.append((time.monotonic() - began, chunk))
                elif stop_at_exit and proc.poll() is not None:
                    break
            returncode = proc.wait(timeout=wait)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        os.close(master)
    return Output(returncode, chunks)
