"""The ping's HTTP client against servers that misbehave at the byte level."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cli.services.convex.deployment import http
from cli.services.convex.deployment.http import MAX_BODY, Connection, Deadline, ProtocolError
from tests.loopback.real_clients import closed_port_url
from tests.support.project import run_app


@contextmanager
def raw_server(handler: Callable[[socket.socket], None]) -> Iterator[str]:
    """A loopback server whose every connection is answered by `handler` (in a thread)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)  # the request
                    handler(conn)
                except OSError:
                    pass

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def endless_chunk(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\n")
    block = b"x" * 65536
    for _ in range(200):  # far more than MAX_BODY, but bounded
        conn.sendall(block)


def test_a_huge_chunk_is_read_only_up_to_the_limit() -> None:
    with raw_server(endless_chunk) as url:
        began = time.monotonic()
        answer = Connection(url, Deadline(10)).request("GET", "/instance_name")
    assert answer.truncated and len(answer.body) == MAX_BODY
    assert time.monotonic() - began < 5


def test_a_malformed_content_length_is_a_protocol_error() -> None:
    def handler(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc")

    with raw_server(handler) as url, pytest.raises(ProtocolError, match="Content-Length"):
        Connection(url, Deadline(5)).request("GET", "/instance_name")


def test_every_resolved_address_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Type: text/plain\r\n\r\nname")

    with raw_server(answer) as url:
        closed_port = int(closed_port_url().rsplit(":", 1)[1])
        good_port = int(url.rsplit(":", 1)[1])

        def resolve(host: str, port: int, deadline: Deadline) -> list[tuple[Any, ...]]:
            # as for `localhost` listed as ::1 first while only 127.0.0.1 listens
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", closed_port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", good_port)),
            ]

        monkeypatch.setattr(http, "_resolve", resolve)
        assert Connection("http://localhost:1", Deadline(5)).request("GET", "/instance_name").body == b"name"


def test_ipv6_literal_host_header_is_bracketed() -> None:
    assert Connection("http://[::1]:3210", Deadline(1))._host_header() == "[::1]:3210"
    assert Connection("https://[::1]", Deadline(1))._host_header() == "[::1]"


@pytest.mark.parametrize(
    "banner",
    [b"SSH-2.0-OpenSSH_9.2\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"],
    ids=["not http", "closed mid-body"],
)
def test_a_server_that_is_not_convex_is_reachable_but_unhealthy(tmp_path: Path, banner: bytes) -> None:
    def handler(conn: socket.socket) -> None:
        conn.sendall(banner)

    with raw_server(handler) as url:
        result = run_app("convex", "ping", "--url", url, "--timeout", "3", cwd=tmp_path)

    assert result.returncode == 1, result.output
    assert "but not as a Convex deployment does" in result.stdout
