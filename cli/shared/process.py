"""Child processes with a deadline, killed with their whole process group when it passes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Helpers write their result, one JSON document, to the file this variable names: whatever
# else the code they run prints (console.log in a schema, a Convex function's log lines)
# cannot be mistaken for it, and a result of any size arrives whole (Node drops piped
# output past 64 KiB when a process exits right after writing it).
RESULT_FILE_ENV = "APP_RESULT_FILE"


@dataclass(frozen=True)
class Finished:
    argv: tuple[str, ...]
    returncode: int | None  # None when the deadline passed and the process was killed
    stdout: str
    stderr: str
    seconds: float
    result: Any = None  # the helper's result document, when it wrote one
    result_problem: str | None = None  # why there is none: "missing" or "unreadable: ..."

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def last_words(self) -> str:
        """What the process said last on stderr (or stdout), or how it ended."""
        tail = (self.stderr.strip() or self.stdout.strip()).splitlines()[-1:]
        if tail:
            return tail[0]
        if self.returncode is not None and self.returncode < 0:
            return f"killed by {signal.Signals(-self.returncode).name}"
        return f"exit code {self.returncode}"


def kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill the process and everything it started (it leads its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class Bounded:
    """A started child process that `finish` collects within a deadline.

    Several can run at once: start them all, then finish each one; a process
    that is not read yet at most fills its pipe and waits, so none deadlocks.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        timeout: float,
        env: Mapping[str, str] | None = None,
        result_file: bool = False,
    ) -> None:
        """With `result_file`, the child finds in $APP_RESULT_FILE where to write its result."""
        self.argv = tuple(argv)
        self._result_dir = tempfile.mkdtemp(prefix="app-result-") if result_file else None
        if self._result_dir is not None:
            env = {**(env if env is not None else os.environ), RESULT_FILE_ENV: self._result_path()}
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        # Ctrl-C (or SIGTERM) between the fork and our bookkeeping would leave an unknown
        # child running: hold it back until this process is registered, then honour it.
        with interrupts_held() as interrupted:
            self.proc: subprocess.Popen[str] = subprocess.Popen(
                self.argv,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,  # so a timeout can kill the group, grandchildren included
            )
            _running.add(self)
        if interrupted:
            self.kill()
            signal.raise_signal(interrupted[0])  # now the usual handler acts on it

    def finish(self) -> Finished:
        remaining = max(0.0, self.deadline - time.monotonic())
        if self.proc.poll() is not None:
            # It ended in time and only its output is left to read (waiting on something
            # else may have used up the deadline meanwhile).
            remaining = max(remaining, 1.0)
        try:
            out, err = self.proc.communicate(timeout=remaining)
            code: int | None = self.proc.returncode
        except subprocess.TimeoutExpired:
            kill_group(self.proc)
            out, err = self.proc.communicate()
            code = None
        except BaseException:
            kill_group(self.proc)
            self.proc.wait()
            raise
        # The child may have left grandchildren (esbuild's service); never leave them behind.
        kill_group(self.proc)
        _running.discard(self)
        result, problem = self._take_result()
        return Finished(
            self.argv, code, out or "", err or "", time.monotonic() - self.started, result, problem
        )

    def kill(self) -> None:
        kill_group(self.proc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        _running.discard(self)
        self._take_result()

    def _result_path(self) -> str:
        assert self._result_dir is not None
        return os.path.join(self._result_dir, "result.json")

    def _take_result(self) -> tuple[Any, str | None]:
        """Read and remove the result file (and its folder)."""
        if self._result_dir is None:
            return None, None
        try:
            with open(self._result_path(), encoding="utf-8") as file:
                return json.load(file), None
        except FileNotFoundError:
            return None, "missing"
        except (OSError, ValueError) as error:
            return None, f"unreadable: {error}"
        finally:
            shutil.rmtree(self._result_dir, ignore_errors=True)
            self._result_dir = None


_running: set[Bounded] = set()


def kill_running() -> None:
    """End every Bounded process still running (an interrupted command's last word)."""
    for bounded in list(_running):
        bounded.kill()


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def interrupts_held() -> Iterator[list[int]]:
    """SIGINT, SIGTERM and SIGHUP received inside the block are recorded instead of acted
    on (main thread only); the caller acts on them once its bookkeeping is done."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: received.append(signum)) for sig in HELD_SIGNALS
    }
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
