"""Child processes with a deadline, killed with their whole process group when it passes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cli.shared.signals import held

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


def signal_group(pgid: int, signum: int) -> bool:
    """Send `signum` to a process group; False when none of it is left."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:  # a reused id that is not ours: ours is gone
        return False
    return True


def end_group(proc: subprocess.Popen[Any], *, grace: float = 0.0) -> None:
    """End the process group `proc` leads, grandchildren included: with a `grace`, SIGTERM
    first and up to that long for `proc` to finish; then SIGKILL for whatever is left."""
    if grace > 0 and proc.poll() is None and signal_group(proc.pid, signal.SIGTERM):
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    signal_group(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()  # it left its group: it is still ours to end
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


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
        self._result_dir: str | None = None
        if result_file:
            import tempfile  # only helpers with a result need it: keep start-up light

            self._result_dir = tempfile.mkdtemp(prefix="app-result-")
        if self._result_dir is not None:
            env = {**(env if env is not None else os.environ), RESULT_FILE_ENV: self._result_path()}
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        # Ctrl-C (or SIGTERM) between the fork and our bookkeeping would leave an unknown
        # child running: hold it back until this process is registered, then honour it.
        with held() as interrupted:
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
            signal_group(self.proc.pid, signal.SIGKILL)
            out, err = self.proc.communicate()
            code = None
        except BaseException:
            end_group(self.proc)
            raise
        # The child may have left grandchildren (esbuild's service); never leave them behind.
        signal_group(self.proc.pid, signal.SIGKILL)
        _running.discard(self)
        result, problem = self._take_result()
        return Finished(
            self.argv, code, out or "", err or "", time.monotonic() - self.started, result, problem
        )

    def kill(self) -> None:
        end_group(self.proc)
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
            return read_result(self._result_path())
        finally:
            import shutil

            shutil.rmtree(self._result_dir, ignore_errors=True)
            self._result_dir = None


def read_result(path: str) -> tuple[Any, str | None]:
    """A helper's result document, or why there is none: "missing" or "unreadable: ..."."""
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file), None
    except FileNotFoundError:
        return None, "missing"
    except (OSError, ValueError, RecursionError) as error:
        return None, f"unreadable: {error}"


class Killable(Protocol):
    def kill(self) -> None: ...


_running: set[Killable] = set()


def track(process: Killable) -> None:
    """Have `kill_running` end this process too (a long-lived helper)."""
    _running.add(process)


def untrack(process: Killable) -> None:
    _running.discard(process)


def kill_running() -> None:
    """End every tracked process still running (an interrupted command's last word)."""
    for process in list(_running):
        process.kill()
