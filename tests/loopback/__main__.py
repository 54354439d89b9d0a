"""A loopback stand-in for a Convex deployment, for tests only.

The process: ``python -m tests.loopback`` binds 127.0.0.1, prints ``READY URL``
and obeys JSON-line commands on stdin until it closes (see the package docstring)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import sys

from aiohttp import web

from tests.loopback.control import run_command
from tests.loopback.http import build_app
from tests.loopback.state import Deployment
from tests.loopback.values import (
    DEFAULT_INSTANCE_NAME,
    DEFAULT_PING_INTERVAL,
    DEFAULT_VERSION,
    MAX_CONTROL_LINE,
    SHUTDOWN_SECONDS,
    Json,
    JsonObject,
)


def _emit(message: JsonObject | str) -> None:
    line = message if isinstance(message, str) else json.dumps(message)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _control_loop(dep: Deployment) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_CONTROL_LINE)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return  # stdin closed: our parent is gone or done with us
        if not line.strip():
            continue
        request_id: Json = None
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise ValueError("a command must be a JSON object")
            request_id = message.get("id")
            reply = await run_command(dep, message)
        except Exception as error:
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        if request_id is not None:
            reply["id"] = request_id
        _emit(reply)


async def serve(args: argparse.Namespace) -> None:
    dep = Deployment(args.version, args.instance_name, args.ping_interval)
    app = build_app(dep)
    # Request bodies are decoded by the handlers (read_push_body), per Content-Encoding.
    runner = web.AppRunner(
        app, access_log=None, shutdown_timeout=1.0, handle_signals=False, auto_decompress=False
    )
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    sock.setblocking(False)
    site = web.SockSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    dep.url = f"http://127.0.0.1:{port}"
    _emit(f"READY {dep.url}")
    try:
        await _control_loop(dep)
    finally:
        dep.shutting_down = True
        dep.misbehaviour = None
        dep._wake_silenced()
        dep.wake_log_pollers()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(dep.close_connections(), timeout=SHUTDOWN_SECONDS)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner.cleanup(), timeout=SHUTDOWN_SECONDS)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", default=DEFAULT_VERSION, help="served by GET /version")
    parser.add_argument("--instance-name", default=DEFAULT_INSTANCE_NAME)
    parser.add_argument("--ping-interval", type=float, default=DEFAULT_PING_INTERVAL)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
