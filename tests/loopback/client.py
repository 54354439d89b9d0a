"""The test side of the loopback test deployment (``tests/loopback/``).

:class:`TestDeployment` runs ``python -m tests.loopback`` in a child process and
drives it over its stdin/stdout control channel: register functions, seed documents, make
it misbehave, read what it received (:class:`ReceivedRequest`) and what was pushed to it.
The pytest fixtures that hand one to a test are in ``tests/loopback/fixtures.py``.
"""

from __future__ import annotations

import contextlib
import json
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal

from cli.shared.process import signal_group

PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT: Final = 15.0
COMMAND_TIMEOUT: Final = 10.0
STOP_TIMEOUT: Final = 5.0

FunctionKind = Literal["query", "mutation", "action"]
MisbehaviourMode = Literal["silent", "slow_headers", "status_500", "html_404", "endless_body"]
_UNSET: Final[Any] = object()


class TestDeploymentError(RuntimeError):
    """The test deployment failed to start, or refused or did not answer a command."""

    __test__ = False


@dataclass(frozen=True)
class ReceivedRequest:
    """One HTTP request the test deployment received (WebSocket upgrades included).

    ``headers`` holds an allowlist of lower-cased header names (content-type,
    convex-client, user-agent, ...). The Authorization header is never stored: only
    ``auth_present`` and ``auth_scheme`` (e.g. ``"Bearer"`` or ``"Convex"``).
    ``body`` is the parsed JSON body of function calls, a summary of push API bodies
    (module paths, never sources; ``adminKey`` redacted), else None. ``misbehaviour`` is
    the mode that answered it, if any. ``unserved`` is True when no route matched (404).
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    auth_present: bool
    auth_scheme: str | None
    body: Any
    misbehaviour: str | None
    unserved: bool = False

    @staticmethod
    def from_json(raw: dict[str, Any]) -> ReceivedRequest:
        return ReceivedRequest(
            method=raw["method"],
            path=raw["path"],
            query=raw["query"],
            headers=dict(raw["headers"]),
            auth_present=bool(raw["auth_present"]),
            auth_scheme=raw["auth_scheme"],
            body=raw["body"],
            misbehaviour=raw["misbehaviour"],
            unserved=bool(raw.get("unserved", False)),
        )


class TestDeployment:
    """A loopback Convex deployment (``tests/loopback/``) in a child process.

    ``TestDeployment().start()`` (or ``with TestDeployment() as td:``) launches
    ``python -m tests.loopback`` in its own session and waits for its READY
    line; ``url`` is then ``http://127.0.0.1:PORT``. Every method talks to it over its
    stdin/stdout control channel with a deadline. ``stop()`` ends it (and its process
    group) within a deadline.
    """

    __test__ = False  # not a test class, despite its name

    def __init__(
        self,
        *,
        version: str | None = None,
        instance_name: str | None = None,
        ping_interval: float | None = None,
    ) -> None:
        self._args: list[str] = []
        if version is not None:
            self._args += ["--version", version]
        if instance_name is not None:
            self._args += ["--instance-name", instance_name]
        if ping_interval is not None:
            self._args += ["--ping-interval", str(ping_interval)]
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._lock = threading.Lock()
        self._next_id = 0
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, timeout: float = STARTUP_TIMEOUT) -> TestDeployment:
        if self._process is not None:
            raise TestDeploymentError("this TestDeployment was already started")
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.loopback", *self._args],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read_stdout, name="test-deployment-stdout", daemon=True)
        self._reader.start()
        line = self._next_line(timeout, "the READY line")
        if not line.startswith("READY http://"):
            self.stop()
            raise TestDeploymentError(f"unexpected first line {line!r}")
        self.url = line.split(" ", 1)[1]
        return self

    def _read_stdout(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        for raw in process.stdout:
            self._lines.put(raw)
        self._lines.put(None)

    def _next_line(self, timeout: float, what: str) -> str:
        try:
            raw = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TestDeploymentError(
                f"no {what} from the test deployment within {timeout} s\n{self.server_log()}"
            ) from None
        if raw is None:
            self._lines.put(None)  # keep reporting EOF to later callers
            raise TestDeploymentError(f"the test deployment exited before {what}\n{self.server_log()}")
        return raw.decode("utf-8").rstrip("\n")

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise TestDeploymentError("not started")
        return self._process.pid

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Close its stdin (it exits on EOF); kill its process group if it lingers."""
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=timeout / 2)
        except subprocess.TimeoutExpired:
            # Not reaped yet, so its process group id still belongs to it.
            signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout / 2)
        if self._reader is not None:
            self._reader.join(timeout=timeout / 2)
        if process.stdout is not None:
            process.stdout.close()

    def server_log(self) -> str:
        """What the server wrote to stderr (for failure messages)."""
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode("utf-8", errors="replace")
        except ValueError:
            return ""

    def close(self) -> None:
        self.stop()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> TestDeployment:
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- control channel ---------------------------------------------------------------

    def command(self, cmd: str, *, timeout: float = COMMAND_TIMEOUT, **fields: Any) -> Any:
        """Send one control command and return its ``result`` (raises on ``ok: false``)."""
        process = self._process
        if process is None or process.stdin is None:
            raise TestDeploymentError("not started")
        with self._lock:
            self._next_id += 1
            request_id = self._next_id
            line = json.dumps({"cmd": cmd, "id": request_id, **fields}) + "\n"
            try:
                process.stdin.write(line.encode("utf-8"))
                process.stdin.flush()
            except (BrokenPipeError, ValueError) as error:
                raise TestDeploymentError(f"the test deployment is gone: {error}") from None
            deadline = time.monotonic() + timeout
            while True:
                remaining = max(deadline - time.monotonic(), 0.0)
                reply = json.loads(self._next_line(remaining, f"answer to {cmd!r}"))
                if reply.get("id") == request_id:
                    break
        if not reply.get("ok"):
            raise TestDeploymentError(f"{cmd}: {reply.get('error')}")
        return reply.get("result")

    def reset(self) -> None:
        """Forget functions, documents, logs, misbehaviour and settings; close sync clients."""
        self.command("reset")

    # -- functions ---------------------------------------------------------------------

    def register(self, path: str, kind: FunctionKind, **behaviour: Any) -> str:
        """Register a function. ``behaviour`` has exactly one of ``returns=VALUE``,
        ``echo=True``, ``list=TABLE``, ``count=TABLE``, ``insert=TABLE``, ``error=MESSAGE``,
        plus optional ``args={name: "string"|"number"|"boolean"|"id"|"any"|"object"|
        "array"|"null", or "optional <type>"}``, ``logLines=[...]``, ``errorData=...``
        (with ``error``), ``fields={...}`` (with ``insert``), ``order="desc"`` and
        ``limit=N`` (with ``list``). Returns the canonical path (``mod:fn``)."""
        result: str = self.command("register", path=path, kind=kind, **behaviour)
        return result

    def add_query(self, path: str, returns: Any, **options: Any) -> str:
        return self.register(path, "query", returns=returns, **options)

    def add_list_query(
        self, path: str, table: str, *, order: Literal["asc", "desc"] = "asc", limit: int | None = None
    ) -> str:
        options: dict[str, Any] = {"order": order}
        if limit is not None:
            options["limit"] = limit
        return self.register(path, "query", list=table, **options)

    def add_count_query(self, path: str, table: str) -> str:
        return self.register(path, "query", count=table)

    def add_insert_mutation(
        self, path: str, table: str, *, fields: dict[str, Any] | None = None, **options: Any
    ) -> str:
        if fields:
            options["fields"] = fields
        return self.register(path, "mutation", insert=table, **options)

    def add_action(self, path: str, returns: Any, **options: Any) -> str:
        return self.register(path, "action", returns=returns, **options)

    def add_failing(
        self, path: str, message: str, *, kind: FunctionKind = "query", error_data: Any = _UNSET
    ) -> str:
        """A function that throws ``Error(message)``, or a ConvexError carrying
        ``error_data`` when given (only then does the response have ``errorData``)."""
        options: dict[str, Any] = {}
        if error_data is not _UNSET:
            options["errorData"] = error_data
        return self.register(path, kind, error=message, **options)

    def unregister(self, path: str) -> bool:
        removed: bool = self.command("unregister", path=path)
        return removed

    def functions(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.command("functions")
        return result

    def set_schema(self, schema_json: str, *, path: str = "health:ping", **extra: Any) -> None:
        """Register ``health:ping`` as a query returning
        ``{"status": "ok", "schema": schema_json, **extra}``."""
        self.command("set_schema", schema=schema_json, path=path, extra=extra)

    # -- deployment info ---------------------------------------------------------------

    def set_info(
        self,
        *,
        version: str | None = None,
        instance_name: str | None = None,
        ping_interval: float | None = None,
        admin_key: Any = _UNSET,
        cloud_url: Any = _UNSET,
        site_url: Any = _UNSET,
        log_poll_seconds: float | None = None,
    ) -> dict[str, Any]:
        """Change what ``/version`` (and ``/instance_version``), ``/instance_name`` serve,
        the sync Ping interval (seconds), or the admin key that ``/api/check_admin_key``
        and every push API route require (None: any ``Convex ...`` key; a wrong one gets
        401 ``BadAdminKey``). ``cloud_url``/``site_url`` are what
        ``/api/v1/get_canonical_urls`` answers (None: the deployment's own URL, and that
        URL + ``/http``); ``log_poll_seconds`` is how long ``/api/stream_function_logs``
        holds each poll (default 1). Returns the settings (the key only as
        ``admin_key_set``)."""
        given = {
            "version": version,
            "instance_name": instance_name,
            "ping_interval": ping_interval,
            "log_poll_seconds": log_poll_seconds,
        }
        fields: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
        # None is a value for these (no key, the default URLs): only _UNSET leaves them be
        nullable = {"admin_key": admin_key, "cloud_url": cloud_url, "site_url": site_url}
        fields |= {name: value for name, value in nullable.items() if value is not _UNSET}
        result: dict[str, Any] = self.command("set_info", **fields)
        return result

    # -- pushes ------------------------------------------------------------------------

    def pushed(self) -> dict[str, Any]:
        """What pushes (``npx convex dev``/``deploy``) left on the deployment:
        ``{"modules": [sorted module paths, e.g. "health.js"], "schema": the pushed
        schema's export JSON string or None, "pushes": finished pushes (dry runs not
        counted), "functions": the functions directory, "udfServerVersion": str|None}``.
        ``reset()`` forgets it."""
        result: dict[str, Any] = self.command("pushed")
        return result

    # -- misbehaviour ------------------------------------------------------------------

    def misbehave(
        self,
        mode: MisbehaviourMode,
        *,
        seconds: float | None = None,
        paths: list[str] | None = None,
        times: int | None = None,
    ) -> None:
        """Make HTTP requests (WebSocket upgrades included) misbehave until ``behave()``.

        ``silent``: accept, never answer (the connection is dropped on ``behave()``/
        ``reset()``, or after ``seconds``, default 600); ``slow_headers``: answer normally
        after ``seconds`` (default 5); ``status_500``: 500 with a Convex JSON error;
        ``html_404``: 404 with an HTML page; ``endless_body``: 200 and a JSON body that
        streams for ``seconds`` (default 600) without ending. ``paths`` limits it to
        request paths starting with one of these prefixes; ``times`` to the next N
        requests. The control channel is unaffected.
        """
        fields: dict[str, Any] = {"mode": mode}
        if seconds is not None:
            fields["seconds"] = seconds
        if paths is not None:
            fields["paths"] = paths
        if times is not None:
            fields["times"] = times
        self.command("misbehave", **fields)

    def behave(self) -> None:
        self.command("behave")

    # -- what it received --------------------------------------------------------------

    def requests(self, *, clear: bool = False) -> list[ReceivedRequest]:
        raw: list[dict[str, Any]] = self.command("requests", clear=clear)
        return [ReceivedRequest.from_json(item) for item in raw]

    def wait_for_request(
        self, path: str, *, count: int = 1, timeout: float = COMMAND_TIMEOUT
    ) -> ReceivedRequest:
        """Block until the ``count``-th logged request for ``path`` (since the log was last
        cleared) has arrived and return it; TestDeploymentError after ``timeout`` seconds."""
        raw: dict[str, Any] = self.command(
            "wait_request", timeout=timeout + COMMAND_TIMEOUT, path=path, count=count, seconds=timeout
        )
        return ReceivedRequest.from_json(raw)

    def sync_messages(self, *, clear: bool = False) -> list[dict[str, Any]]:
        """Client messages received over the sync WebSocket (``_path`` says where).
        Authenticate tokens are not kept."""
        result: list[dict[str, Any]] = self.command("sync_messages", clear=clear)
        return result

    def clear_log(self) -> None:
        self.command("clear_log")

    def documents(self, table: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.command("documents", table=table)
        return result

    def seed(self, table: str, documents: list[dict[str, Any]]) -> list[str]:
        """Insert documents directly (subscribers are updated); returns their ids."""
        result: list[str] = self.command("seed", table=table, documents=documents)
        return result

    def set_env(self, name: str, value: str | None) -> list[dict[str, Any]]:
        """Set the deployment environment variable ``name`` (None deletes it). Subscribers of
        ``_system/cli/queryEnvironmentVariables`` (the real ``convex dev`` after a failed push)
        get the new list. Returns every variable as that query does: ``{_id, _creationTime,
        name, value}`` by name."""
        result: list[dict[str, Any]] = self.command("set_env", name=name, value=value)
        return result

    def environment_variables(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.command("env")
        return result

    def connections(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.command("connections")
        return result

    def close_connections(self) -> int:
        result: int = self.command("close_connections")
        return result
