"""A small HTTP client in which every step has a deadline: DNS, connect, TLS, headers, body.

`requests` (what the official clients use) has no whole-request deadline and no DNS
timeout; a ping must answer within the time the user gave it, whatever the server does,
and read no more than a bounded part of any answer.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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


class ProtocolError(ConnectionError):
    """The server's answer is not HTTP/1.x as this client reads it."""


class _Reader:
    """Buffered reads from a socket; every read is bounded by the socket's timeout."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.received = False  # whether any byte of an answer arrived

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if chunk:
            self.received = True
            self.buffer += chunk
        return bool(chunk)

    def _take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def line(self, limit: int = 65536) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if len(self.buffer) > limit:
                raise ProtocolError("a header line is too long")
            if not self._fill():
                raise ProtocolError("the server closed the connection mid-answer")
        line = self._take(end)
        del self.buffer[:2]
        return line

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise ProtocolError("the server closed the connection mid-body")
        return self._take(size)

    def until_close(self, limit: int) -> bytes:
        while len(self.buffer) <= limit and self._fill():
            pass
        data = self._take(limit)
        self.buffer.clear()
        return data


class Connection:
    """One keep-alive HTTP/1.1 connection to a deployment, reopened when needed.

    http.client would cost ~30 ms of imports on every ping (email, ssl); the few
    answers a ping reads need only this much of HTTP/1.1.
    """

    def __init__(self, url: str, deadline: Deadline) -> None:
        parts = urlsplit(url)
        self.url = url.rstrip("/")
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.deadline = deadline
        self._sock: socket.socket | None = None
        self._addresses: list[tuple[Any, ...]] | None = None

    def _connect(self, timeout: float, opened: list[socket.socket]) -> socket.socket:
        if self._addresses is None:
            self._addresses = _resolve(self.host, self.port, self.deadline)
        # Each address in turn, as curl and create_connection do: `localhost` may
        # resolve to ::1 first while the deployment listens on 127.0.0.1 only.
        sock: socket.socket | None = None
        last: OSError | None = None
        for family, kind, proto, _, address in self._addresses:
            candidate = socket.socket(family, kind, proto)
            opened.append(candidate)
            candidate.settimeout(timeout)
            try:
                candidate.connect(address)
            except (ConnectionRefusedError, OSError) as error:
                if isinstance(error, TimeoutError):
                    raise
                candidate.close()
                last = error
                continue
            sock = candidate
            break
        if sock is None:
            raise last or ConnectionRefusedError("no address to connect to")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.https:
            import ssl

            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
            opened.append(sock)
        return sock

    def request(self, method: str, path: str, *, body: Any = None, timeout: float | None = None) -> Response:
        """One request, bounded by `timeout` and the connection's overall deadline."""
        reused = self._sock is not None
        try:
            return self._request(method, path, body, timeout)
        except _StaleConnection:
            # A kept-alive connection the server had closed: the request never reached
            # it, so sending it once more on a new connection is safe.
            if not reused:
                raise ProtocolError("the server closed the connection without answering") from None
            return self._request(method, path, body, timeout)

    def _request(self, method: str, path: str, body: Any, timeout: float | None) -> Response:
        limit = min(timeout if timeout is not None else self.deadline.seconds, self.deadline.remaining())
        if limit <= 0:
            raise TimeoutError("the deadline passed")
        began = time.monotonic()
        payload = json.dumps(body).encode() if body is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",  # a deployment URL has no path (url.py)
            f"Host: {self._host_header()}",
            "User-Agent: app-convex-ping",
            "Accept: */*",
        ]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + payload

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
        sock = self._sock
        self._sock = None
        reader: _Reader | None = None
        try:
            if sock is None:
                sock = self._connect(limit, opened)
            else:
                opened.append(sock)
            sock.settimeout(max(0.001, limit - (time.monotonic() - began)))
            reader = _Reader(sock)
            try:
                sock.sendall(message)
                status, headers = self._head(reader)
            except OSError as error:
                if not reader.received and not expired.is_set() and not isinstance(error, TimeoutError):
                    raise _StaleConnection from error
                raise
            data, complete = self._body(reader, method, status, headers)
        except BaseException as error:
            for opened_sock in opened:
                opened_sock.close()
            if isinstance(error, _StaleConnection):
                raise
            if (
                expired.is_set()
                and isinstance(error, OSError)
                and not isinstance(error, ConnectionRefusedError)
            ):
                raise TimeoutError(f"no complete answer within {limit:.3g} s") from error
            raise
        finally:
            timer.cancel()
        keep = complete and not expired.is_set() and headers.get("connection", "").lower() != "close"
        if keep:
            self._sock = sock
        else:
            sock.close()
        return Response(
            status,
            headers.get("content-type", ""),
            data[:MAX_BODY],
            len(data) > MAX_BODY,
            time.monotonic() - began,
        )

    @staticmethod
    def _head(reader: _Reader) -> tuple[int, dict[str, str]]:
        status_line = reader.line().decode("latin-1")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ProtocolError(f"not an HTTP answer: {status_line[:60]!r}")
        headers: dict[str, str] = {}
        for _ in range(200):
            line = reader.line().decode("latin-1")
            if not line:
                return int(parts[1]), headers
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        raise ProtocolError("too many header lines")

    @staticmethod
    def _body(reader: _Reader, method: str, status: int, headers: dict[str, str]) -> tuple[bytes, bool]:
        """At most MAX_BODY + 1 bytes of the body, and whether all of it was read."""
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return b"", True
        if "chunked" in headers.get("transfer-encoding", "").lower():
            data = bytearray()
            while True:
                size_text = reader.line().split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    raise ProtocolError("a malformed chunk size") from None
                if size == 0:
                    while reader.line():  # trailers, up to the blank line
                        pass
                    return bytes(data), True
                room = MAX_BODY + 1 - len(data)
                data += reader.exactly(min(size, room))
                if size >= room:  # over the limit: the rest is never read
                    return bytes(data), False
                reader.exactly(2)  # the CRLF after each chunk
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise ProtocolError(f"a malformed Content-Length: {length[:40]!r}")
            size = int(length)
            return reader.exactly(min(size, MAX_BODY + 1)), size <= MAX_BODY
        return reader.until_close(MAX_BODY + 1), False

    def _host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 literal
        default = 443 if self.https else 80
        return host if self.port == default else f"{host}:{self.port}"

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class _StaleConnection(Exception):
    """A reused connection failed before any answer arrived."""
