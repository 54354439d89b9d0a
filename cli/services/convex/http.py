"""A small HTTP client in which every step has a deadline: DNS, connect, TLS, headers, body.

`requests` (what the official clients use) has no whole-request deadline and no DNS
timeout; a ping must answer within the time the user gave it, whatever the server does.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cli.shared.errors import UnreachableError

MAX_BODY = 256 * 1024  # a ping reads no more than this of any answer


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    truncated: bool  # the body was longer than the limit (and the rest was not read)
    seconds: float

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


def _resolve(host: str, port: int, deadline: Deadline) -> list[tuple[Any, ...]]:
    """getaddrinfo has no timeout of its own: run it in a daemon thread and stop waiting."""
    result: list[list[tuple[Any, ...]]] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as error:  # handed to the waiting thread
            failure.append(error)

    worker = threading.Thread(target=work, daemon=True, name="resolve")
    worker.start()
    worker.join(max(0.0, deadline.remaining()))
    if failure:
        raise failure[0]
    if not result:
        raise TimeoutError(f"resolving {host} took longer than the deadline")
    return result[0]


class Connection:
    """One keep-alive connection to a deployment, reopened when the server closes it."""

    def __init__(self, url: str, deadline: Deadline) -> None:
        parts = urlsplit(url)
        self.url = url.rstrip("/")
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.base_path = parts.path.rstrip("/")
        self.deadline = deadline
        self._conn: http.client.HTTPConnection | None = None
        self._addresses: list[tuple[Any, ...]] | None = None

    def _connect(self, timeout: float, opened: list[socket.socket]) -> http.client.HTTPConnection:
        if self._addresses is None:
            self._addresses = _resolve(self.host, self.port, self.deadline)
        family, kind, proto, _, address = self._addresses[0]
        sock = socket.socket(family, kind, proto)
        opened.append(sock)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.https:
                import ssl

                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
                opened.append(sock)
        except BaseException:
            sock.close()
            raise
        conn_class = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = conn_class(self.host, self.port, timeout=timeout)
        conn.sock = sock
        return conn

    def request(self, method: str, path: str, *, body: Any = None, timeout: float | None = None) -> Response:
        """One request, bounded by `timeout` and the connection's overall deadline."""
        limit = min(timeout if timeout is not None else self.deadline.seconds, self.deadline.remaining())
        if limit <= 0:
            raise TimeoutError("the deadline passed")
        began = time.monotonic()
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Host": self._host_header(), "User-Agent": "app-convex-ping", "Accept": "*/*"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        expired = threading.Event()
        opened: list[socket.socket] = []

        def expire() -> None:
            # A blocked connect or recv wakes up when its socket is shut down, so a
            # slow-dripping server cannot stretch the request past the deadline.
            expired.set()
            for sock in opened:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(limit, expire)
        timer.daemon = True
        timer.start()
        conn: http.client.HTTPConnection | None = None
        try:
            conn = self._conn or self._connect(limit, opened)
            self._conn = None
            if conn.sock is not None:
                opened.append(conn.sock)
                conn.sock.settimeout(max(0.001, limit - (time.monotonic() - began)))
            conn.request(method, self.base_path + path, body=payload, headers=headers)
            reply = conn.getresponse()
            data = reply.read(MAX_BODY + 1)
            truncated = len(data) > MAX_BODY
            response = Response(
                reply.status,
                reply.getheader("Content-Type", "") or "",
                data[:MAX_BODY],
                truncated,
                time.monotonic() - began,
            )
        except (OSError, http.client.HTTPException) as error:
            if conn is not None:
                conn.close()
            for sock in opened:
                sock.close()
            if expired.is_set() and not isinstance(error, ConnectionRefusedError):
                raise TimeoutError(f"no complete answer within {limit:.3g} s") from error
            raise
        finally:
            timer.cancel()
        if truncated or reply.will_close or expired.is_set():
            conn.close()
        else:
            self._conn = conn
        return response

    def _host_header(self) -> str:
        default = 443 if self.https else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def unreachable(url: str, error: BaseException, seconds: float) -> UnreachableError:
    """The user-facing error for a deployment that did not answer."""
    host = urlsplit(url).netloc
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, socket.gaierror):
        return UnreachableError(
            f"cannot resolve {urlsplit(url).hostname}: no such host",
            "Check the host name in CONVEX_URL, and your network or DNS.",
            detail=detail,
        )
    if isinstance(error, ConnectionRefusedError):
        return UnreachableError(
            f"connection refused by {host}: nothing is listening there",
            "Start the deployment (`app convex dev`), or check the port in CONVEX_URL.",
            detail=detail,
        )
    import ssl

    if isinstance(error, ssl.SSLError):
        return UnreachableError(
            f"TLS handshake with {host} failed ({error.reason or error.__class__.__name__})",
            "If the deployment serves plain HTTP (a local backend does), use http:// in CONVEX_URL.",
            detail=detail,
        )
    if isinstance(error, TimeoutError):
        return UnreachableError(
            f"no answer from {host} within {seconds:g} s",
            "Check that the deployment is up, or give it longer with --timeout.",
            detail=detail,
        )
    return UnreachableError(
        f"cannot reach {host}: {error.__class__.__name__}: {error}",
        "Check that the deployment is up and that CONVEX_URL is right.",
        detail=detail,
    )
