"""A warm evaluator: one Node process (serve.mjs) that keeps esbuild loaded and evaluates the
schema, or reads the function modules, each time it is asked, for commands that watch.

Answers are read as the one-shot helpers' are (read_evaluation, analysis_of), so a warm
answer and a cold one mean the same. A request past its deadline ends the process (a schema
that loops never answers); the next request starts a new one.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import tempfile
import time

from cli.services.convex.schema.evaluation import Evaluation, helper, read_evaluation
from cli.services.convex.toolchain import helper_script
from cli.services.project import Project
from cli.shared.process import Finished, end_group, read_result, start_group, track, untrack
from cli.shared.types import JsonObject

SERVER = "serve.mjs"
# Each bundle a process evaluates stays in its module cache: start afresh now and then.
REQUESTS_PER_PROCESS = 200
STDERR_TAIL = 4096


class WarmNode:
    """Evaluations on request from one long-lived Node process; `close` ends it."""

    def __init__(self, project: Project, node: str) -> None:
        self.project = project
        self.node = node
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: tempfile._TemporaryFileWrapper[bytes] | None = None
        self._buffer = b""
        self._served = 0
        self._next_id = 0
        self._folder = tempfile.mkdtemp(prefix="app-warm-")

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start Node now (it loads esbuild while the caller does other work)."""
        if self._proc is not None and self._proc.poll() is None:
            return
        self._end()
        from cli.services.convex.typegen.analysis import HELPER as FUNCTIONS_HELPER

        functions_helper = helper_script("cli.services.convex.typegen", FUNCTIONS_HELPER)
        server = helper_script("cli.services.convex.schema", SERVER)
        self._stderr = tempfile.NamedTemporaryFile(  # noqa: SIM115 (it lives as long as the process)
            dir=self._folder, prefix="stderr-", delete=False
        )
        # In a group of its own: a deadline ends the group (esbuild's service) too.
        self._proc = start_group(
            [self.node, server, str(self.project.root), helper(), functions_helper],
            cwd=self.project.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._buffer = b""
        self._served = 0
        track(self)

    def schema(self, timeout: float) -> Evaluation:
        """The schema's evaluation, as `app convex check` reads a cold one."""
        done = self._ask("schema", [self.project.schema_file], timeout)
        return read_evaluation(done, timeout, self.project)

    def functions(self, modules: list[str], timeout: float) -> tuple[list[JsonObject], str | None]:
        """The public functions of `modules`, as codegen reads them."""
        from cli.services.convex.typegen.analysis import analysis_of

        if not modules:
            return [], None
        return analysis_of(self.project, self._ask("functions", modules, timeout), modules)

    def _ask(self, kind: str, paths: list[str], timeout: float) -> Finished:
        began = time.monotonic()
        if self._served >= REQUESTS_PER_PROCESS:
            self._end()
        self.start()
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        self._next_id += 1
        self._served += 1
        result = os.path.join(self._folder, f"result-{self._next_id}.json")
        request = {"id": self._next_id, "kind": kind, "paths": paths, "result": result}
        argv = (self.node, SERVER, kind, *paths)
        import json

        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
            answered = self._wait_for(f"APP-DONE {self._next_id}", began + timeout)
        except (BrokenPipeError, OSError):
            answered = False
        seconds = time.monotonic() - began
        stage = _take_stage(result)
        if answered:
            document, problem = _take(result)
            return Finished(argv, 0, "", "", seconds, document, problem, stage)
        timed_out = proc.poll() is None
        stderr = self._stderr_tail()
        code = None if timed_out else proc.returncode
        self._end()
        with contextlib.suppress(OSError):
            os.unlink(result)
        # A process that ended by itself answers as a cold one would: its exit code and last words.
        return Finished(argv, code, "", stderr, seconds, None, "missing", stage)

    def _wait_for(self, line: str, deadline: float) -> bool:
        """Read stdout until `line` (True), the end of output or the deadline (False)."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        wanted = line.encode()
        while True:
            for got in self._buffer.split(b"\n")[:-1]:
                if got.strip() == wanted:
                    self._buffer = self._buffer.rsplit(b"\n", 1)[-1]
                    return True
            self._buffer = self._buffer.rsplit(b"\n", 1)[-1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return False
            data = os.read(fd, 65536)
            if not data:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=1)
                return False
            self._buffer += data

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            with open(self._stderr.name, "rb") as file:
                file.seek(0, os.SEEK_END)
                file.seek(max(0, file.tell() - STDERR_TAIL))
                return file.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _end(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(OSError):
                if self._proc.stdin is not None:
                    self._proc.stdin.close()
            end_group(self._proc)
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
        if self._stderr is not None:
            self._stderr.close()
            with contextlib.suppress(OSError):
                os.unlink(self._stderr.name)
            self._stderr = None
        untrack(self)

    def kill(self) -> None:
        self.close()

    def close(self) -> None:
        """End Node and remove what it wrote."""
        self._end()
        import shutil

        shutil.rmtree(self._folder, ignore_errors=True)


def _take(path: str) -> tuple[object, str | None]:
    """Read and remove one answer's file."""
    try:
        return read_result(path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _take_stage(result: str) -> str | None:
    """Read and remove the step the request reached (serve.mjs writes it next to the answer)."""
    try:
        with open(f"{result}.stage", encoding="utf-8") as file:
            return file.read().strip() or None
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(f"{result}.stage")
