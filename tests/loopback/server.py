"""Starting and stopping the loopback deployment's HTTP server, shared by the test harness
(``__main__``) and the mode for people (``serve``)."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from aiohttp import web

from tests.loopback.http import build_app
from tests.loopback.state import Deployment
from tests.loopback.values import SHUTDOWN_SECONDS

HOST = "127.0.0.1"


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: a free port). Raises OSError when the
    port is taken (EADDRINUSE) or not ours to take (EACCES)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # Lets a restart take the port while the last run's connections sit in TIME_WAIT; a
        # port another socket listens on is still refused.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


async def start(dep: Deployment, sock: socket.socket) -> web.AppRunner:
    """Serve ``dep`` on ``sock``; sets ``dep.url``."""
    app = build_app(dep)
    # Request bodies are decoded by the handlers (read_push_body), per Content-Encoding.
    runner = web.AppRunner(
        app, access_log=None, shutdown_timeout=1.0, handle_signals=False, auto_decompress=False
    )
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    dep.url = f"http://{HOST}:{port}"
    return runner


async def stop(dep: Deployment, runner: web.AppRunner) -> None:
    """Release everything that waits (silenced requests, held log polls, sync connections),
    then close the server, each step within SHUTDOWN_SECONDS."""
    dep.shutting_down = True
    dep.misbehaviour = None
    dep._wake_silenced()
    dep.wake_log_pollers()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(dep.close_connections(), timeout=SHUTDOWN_SECONDS)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(runner.cleanup(), timeout=SHUTDOWN_SECONDS)
