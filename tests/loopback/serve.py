"""The loopback deployment for people: ``python -m tests.loopback serve`` (``make loopback``).

It serves the same deployment as the test harness, for trying ``app`` offline: the real
Convex CLI pushes to it in self-hosted mode (any admin key is accepted, as no key is set),
and ``app convex ping`` then finds the pushed code. Unlike the harness it binds a fixed port
(3210, the Convex local backend's default; ``--port`` to change), prints what to export, and
never reads stdin, so it runs the same in the foreground, in the background (``make loopback
&``: a background job that read the terminal would be stopped by SIGTTIN), under ``nohup``, with
stdin closed and with stdout a file, a pipe or closed.

It stops on SIGINT (Ctrl-C), SIGTERM or SIGHUP, with exit code 0: asked to stop, it stopped
cleanly. Any other code would make ``make loopback`` add ``make: *** [...] Error 130`` after
Ctrl-C (``make`` itself still exits 130 then, having had the SIGINT too) or ``Error 143`` after a
plain ``kill PID``.
A signal ignored when it started (SIGHUP under ``nohup``, SIGINT in a script's background job)
stays ignored. A port it cannot take is one ``error:`` and one ``hint:`` line, exit 3.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import signal
import sys
from typing import Final

from tests.loopback import server
from tests.loopback.state import Deployment
from tests.loopback.values import DEFAULT_INSTANCE_NAME, DEFAULT_PING_INTERVAL, DEFAULT_VERSION

DEFAULT_PORT: Final = 3210  # `npx convex dev --local`'s default port, and the docs' examples'
ADMIN_KEY_EXAMPLE: Final = "any-key"
EXIT_CONFIG: Final = 3  # DESIGN: configuration or environment (here: a port it cannot take)
# Its request log only serves tests; a session of hours must not grow it without end
# (`convex dev` polls function logs every second).
LOG_KEPT: Final = 1000
LOG_TRIM_SECONDS: Final = 60.0


class _Out:
    """Lines on a file descriptor that may be closed or become a broken pipe: once a write
    fails, nothing more is written (the deployment keeps serving)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.open = True

    def line(self, text: str) -> None:
        if not self.open:
            return
        data = (text + "\n").encode("utf-8")
        try:
            while data:
                data = data[os.write(self.fd, data) :]
        except OSError:  # EPIPE, EBADF, EIO (a terminal that went away)
            self.open = False


def _fill_closed_descriptors() -> None:
    """/dev/null in place of a closed stdin, stdout or stderr: else the next socket would take
    that number, and a stray print would go to it (or, with sys.stderr None, nowhere)."""
    from cli.shared.output import reserve_standard_descriptors

    reserve_standard_descriptors()
    if sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115


def banner(url: str, pid: int, width: int = 80) -> list[str]:
    """What it prints once it listens: where, how to stop it, and what to export. The words
    wrap at `width` (a terminal's, else 80); the exports never do, so that they copy whole."""
    where = f"Loopback deployment at {url} (pid {pid})"
    about = (
        "A stand-in for trying `app` offline, not the Convex backend; Ctrl-C or kill ends it."
        " To push to it with `app convex dev`, export these (any admin key works; CI=1 keeps "
        "the Convex CLI from waiting on its error reporter offline):"
    )
    return [
        *_words(where, width),
        *_words(about, width),
        f"  export CONVEX_SELF_HOSTED_URL={url}",
        f"  export CONVEX_SELF_HOSTED_ADMIN_KEY={ADMIN_KEY_EXAMPLE}",
        "  export CI=1",
    ]


def bind_failure(port: int, error: OSError) -> tuple[str, str]:
    """The error and hint lines for a port it could not listen on."""
    where = f"127.0.0.1:{port}"
    other = port + 1 if port < 65535 else DEFAULT_PORT
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is in use: something already listens on {where} (a loopback deployment "
            "started earlier, or a local Convex backend)",
            f"Stop it, or use another port: make loopback LOOPBACK_PORT={other}",
        )
    if error.errno == errno.EACCES:
        return (
            f"no permission to listen on {where}",
            f"Use a port above 1023: make loopback LOOPBACK_PORT={DEFAULT_PORT}",
        )
    return (
        f"cannot listen on {where}: {error.strerror or error}",
        f"Use another port: make loopback LOOPBACK_PORT={other}",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, not {port}")
    return port


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.loopback serve",
        description="The loopback deployment, for trying `app` offline (not the Convex backend).",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="served by GET /version")
    parser.add_argument("--instance-name", default=DEFAULT_INSTANCE_NAME, help="served by GET /instance_name")
    return parser.parse_args(argv)


async def _trim_log(dep: Deployment) -> None:
    while True:
        await asyncio.sleep(LOG_TRIM_SECONDS)
        del dep.requests[:-LOG_KEPT]
        del dep.sync_messages[:-LOG_KEPT]


async def run(args: argparse.Namespace, out: _Out, err: _Out) -> int:
    """Serve until a stop signal; the exit code."""
    try:
        sock = server.listen(args.port)
    except OSError as error:
        from cli.shared.text import wrap_hanging

        message, hint = bind_failure(args.port, error)
        for prefix, text in (("error: ", message), ("hint: ", hint)):
            # Wrapped on a terminal only, as the app's errors are: one line each in a pipe.
            for line in wrap_hanging(prefix, text, _width(err.fd) if os.isatty(err.fd) else len(text) + 8):
                err.line(line)
        return EXIT_CONFIG
    loop = asyncio.get_running_loop()
    stopped: asyncio.Future[int] = loop.create_future()

    def stop(signum: int) -> None:
        if not stopped.done():
            stopped.set_result(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) != signal.SIG_IGN:  # nohup's SIGHUP, a script's `&` SIGINT
            loop.add_signal_handler(sig, stop, sig)
    dep = Deployment(args.version, args.instance_name, DEFAULT_PING_INTERVAL)
    runner = await server.start(dep, sock)
    trimmer = asyncio.create_task(_trim_log(dep))
    width = _width(out.fd)
    for line in banner(dep.url, os.getpid(), width):
        out.line(line)
    try:
        signum = await stopped
    finally:
        trimmer.cancel()
        await server.stop(dep, runner)
    for line in _words(f"Loopback deployment at {dep.url} stopped ({signal.Signals(signum).name})", width):
        out.line(line)
    return 0


def _width(fd: int) -> int:
    """A terminal's width; 80 elsewhere, and where a terminal has no size set (0 columns)."""
    return (os.get_terminal_size(fd).columns if os.isatty(fd) else 0) or 80


def _words(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words."""
    from cli.shared.text import wrap_spans

    return [text[a:b] for a, b in wrap_spans(text, width, width)]


def main(argv: list[str]) -> int:
    _fill_closed_descriptors()
    # Writing to the terminal from a background job must never stop it (`stty tostop`).
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    args = parse_args(argv)
    out, err = _Out(1), _Out(2)
    try:
        return asyncio.run(run(args, out, err))
    except KeyboardInterrupt:  # Ctrl-C before the handlers were in place
        with contextlib.suppress(Exception):
            out.line("Loopback deployment stopped (SIGINT)")
        return 0
