"""Child processes with a deadline, killed with their whole process group when it passes;
and the one way every child is started (`start_group`), so that none outlives the app."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
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
    stage: str | None = None  # the step the helper last said it was at (see Bounded), if any

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


def kill_group(pgid: int) -> None:
    """SIGKILL what is left of a group `start_group` started, and stop watching it: once
    its last member is gone its number may become another process's."""
    signal_group(pgid, signal.SIGKILL)
    _watchdog.forget(pgid)


def end_group(proc: subprocess.Popen[Any], *, grace: float = 0.0) -> None:
    """End the process group `proc` leads, grandchildren included: with a `grace`, SIGTERM
    first and up to that long for `proc` to finish; then SIGKILL for whatever is left."""
    if grace > 0 and proc.poll() is None and signal_group(proc.pid, signal.SIGTERM):
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    kill_group(proc.pid)
    if proc.poll() is None:
        proc.kill()  # it left its group: it is still ours to end
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# -- Nothing a command started outlives it --------------------------------------------------
# Ctrl-C, SIGTERM and SIGHUP let the app end its children's groups (end_group); SIGKILL, to
# the app or to its process group (CI runners, `timeout -s KILL`), lets it do nothing. Each
# child is in a group of its own, which such a signal misses, so two things end them instead:
# - the kernel SIGKILLs a child whose parent dies (Linux's parent-death signal), at once;
# - a watchdog, one small shell in a session of its own, reads the groups the app started
#   from a pipe only the app can write to; when the app dies, however, the pipe ends, and
#   it SIGKILLs each group still listed: grandchildren too, which the kernel's signal misses.

PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h)

# "+PGID" lists a group, "-PGID" takes it off (an ended group's number may become another's).
# Its first line is what `ps` shows of it.
WATCHDOG_SCRIPT = """\
# app-watchdog: SIGKILLs the process groups the app started once it dies
groups=' '
while IFS= read -r line; do
  group=${line#?}
  case $line in
    +*) groups="$groups$group " ;;
    -*) case $groups in *" $group "*) groups="${groups%% $group *} ${groups#* $group }" ;; esac ;;
  esac
done
for group in $groups; do kill -s KILL -- "-$group" 2>/dev/null; done
"""


class _Watchdog:
    """The app's side of the watchdog: started with the first child, and again if it dies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the dev loop starts children from its own thread too
        self._proc: subprocess.Popen[bytes] | None = None
        self._pipe: int | None = None  # the write end; non-inheritable, so only the app holds it
        self.groups: set[int] = set()
        self._unavailable = False  # no shell to run it: not tried again for each child

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def watch(self, pgid: int) -> None:
        with self._lock:
            self.groups.add(pgid)
            self._send(f"+{pgid}\n")

    def forget(self, pgid: int) -> None:
        with self._lock:
            if pgid in self.groups:
                self.groups.discard(pgid)
                self._send(f"-{pgid}\n")

    def _send(self, line: str) -> None:
        if self._pipe is not None:
            try:
                os.write(self._pipe, line.encode())
                return
            except OSError:  # it was killed: a new one takes over the groups still running
                self._close()
        if self.groups and not self._unavailable and self._start():
            assert self._pipe is not None
            with contextlib.suppress(OSError):
                os.write(self._pipe, "".join(f"+{pgid}\n" for pgid in self.groups).encode())

    def _start(self) -> bool:
        read_end, write_end = os.pipe()
        try:
            self._proc = subprocess.Popen(
                ["/bin/sh", "-c", WATCHDOG_SCRIPT],
                stdin=read_end,
                # Never the app's output: whoever reads that waits for every copy to close.
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd="/",  # it pins no folder of the project's
                env={},  # read and kill are the shell's own
                start_new_session=True,  # what ends the app's group or session misses it
            )
        except OSError:  # no shell: the kernel's parent-death signal still ends the children
            os.close(write_end)
            self._unavailable = True
            return False
        finally:
            os.close(read_end)
        self._pipe = write_end
        return True

    def _close(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._proc is not None:
            self._proc.poll()  # collect it, if it has ended
            self._proc = None


_watchdog = _Watchdog()


def start_group(
    argv: Sequence[str],
    *,
    new_session: bool = True,
    before_exec: Callable[[], None] | None = None,
    **options: Any,
) -> subprocess.Popen[Any]:
    """Start `argv` as the leader of a process group of its own, in a new session unless
    `new_session` is False, so that `end_group` ends everything it starts; and so that all
    of that ends when the app dies, even by SIGKILL. `before_exec` runs in the child between
    fork and exec; `options` are Popen's. End the group with `end_group` or `kill_group`."""
    die_with_app = _parent_death()
    in_child: Callable[[], None] | None = None
    if die_with_app is not None or before_exec is not None:

        def in_child() -> None:
            if die_with_app is not None:
                die_with_app()
            if before_exec is not None:
                before_exec()

    proc: subprocess.Popen[Any] = subprocess.Popen(
        list(argv),
        start_new_session=new_session,
        process_group=None if new_session else 0,
        preexec_fn=in_child,
        **options,
    )
    _watchdog.watch(proc.pid)  # its pid is its group's id
    return proc


def _parent_death() -> Callable[[], None] | None:
    """What a child runs before exec to be killed when the app dies: Linux only, and only from
    the main thread, because the kernel counts the thread that started a child as its parent:
    a worker thread's end would kill the child (the watchdog covers those)."""
    if sys.platform != "linux" or threading.current_thread() is not threading.main_thread():
        return None
    prctl = _prctl()
    if prctl is None:
        return None
    parent, sigkill = os.getpid(), int(signal.SIGKILL)

    def die_with_parent() -> None:
        # Had the app died before prctl, no signal would come: its orphan has a new parent.
        if prctl(PR_SET_PDEATHSIG, sigkill, 0, 0, 0) == 0 and os.getppid() != parent:
            os.kill(os.getpid(), sigkill)

    return die_with_parent


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, found once, before any fork (the child only calls it)."""
    try:
        import ctypes  # only once a child starts: keep start-up light

        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
    function.restype = ctypes.c_int
    return function


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
        start_within: float | None = None,
    ) -> None:
        """With `result_file`, the child finds in $APP_RESULT_FILE where to write its result,
        and may write the step it is at to that name + ".stage". With `start_within` too, a
        child that has written no step that soon is stopped as one that does not answer."""
        self.argv = tuple(argv)
        self._start_within = start_within
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
            self.proc: subprocess.Popen[str] = start_group(
                self.argv,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            _running.add(self)
        if interrupted:
            self.kill()
            signal.raise_signal(interrupted[0])  # now the usual handler acts on it

    def finish(self) -> Finished:
        if not self._await_start():
            self.deadline = time.monotonic()  # collect what it said, and nothing more
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
        kill_group(self.proc.pid)
        _running.discard(self)
        stage = self._stage()
        result, problem = self._take_result()
        seconds = time.monotonic() - self.started
        return Finished(self.argv, code, out or "", err or "", seconds, result, problem, stage)

    def _await_start(self) -> bool:
        """Whether the child said it started (or ended) within `start_within`; polled, since
        nothing is read from it meanwhile and the first step is all that is awaited."""
        if self._start_within is None or self._result_dir is None:
            return True
        limit = min(self.deadline, self.started + self._start_within)
        stage = f"{self._result_path()}.stage"
        while not os.path.exists(stage) and self.proc.poll() is None:
            now = time.monotonic()
            if now >= limit:
                return False
            time.sleep(min(0.005, limit - now))
        return True

    def _stage(self) -> str | None:
        if self._result_dir is None:
            return None
        try:
            with open(f"{self._result_path()}.stage", encoding="utf-8") as file:
                return file.read().strip() or None
        except OSError:
            return None

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
