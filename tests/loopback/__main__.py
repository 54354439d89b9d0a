"""A loopback stand-in for a Convex deployment.

The test harness: ``python -m tests.loopback`` binds 127.0.0.1, prints ``READY URL``
and obeys JSON-line commands on stdin until it closes (see the package docstring).
For people: ``python -m tests.loopback serve`` (``make loopback``, see ``serve.py``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys

from tests.loopback import server
from tests.loopback.control import run_command
from tests.loopback.state import Deployment
from tests.loopback.values import (
    DEFAULT_INSTANCE_NAME,
    DEFAULT_PING_INTERVAL,
    DEFAULT_VERSION,
    MAX_CONTROL_LINE,
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
    runner = await server.start(dep, server.listen(args.port))
    _emit(f"READY {dep.url}")
    try:
        await _control_loop(dep)
    finally:
        await server.stop(dep, runner)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", default=DEFAULT_VERSION, help="served by GET /version")
    parser.add_argument("--instance-name", default=DEFAULT_INSTANCE_NAME)
    parser.add_argument("--ping-interval", type=float, default=DEFAULT_PING_INTERVAL)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["serve"]:
        from tests.loopback.serve import main as serve_main

        return serve_main(arguments[1:])
    args = parse_args(arguments)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
