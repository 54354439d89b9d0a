"""A stand-in for the `convex` CLI in wrapper tests of `app convex dev`: the wrapper cannot tell
it from the real one, and Python without site-packages starts in a tenth of Node's CPU time.

It behaves as STANDIN_MODE says and records what it received in STANDIN_LOG for the tests:
- exit (the default): prints STANDIN_OUTPUT, exits with STANDIN_CODE;
- write-url: appends CONVEX_URL=STANDIN_URL to .env.local and says the functions are ready;
- run: runs on with a child of its own, as `convex dev` does, until SIGINT, SIGTERM or SIGHUP;
- hang: the same, but ignores SIGINT (as a CLI stuck retrying might): only SIGKILL ends it;
- quiet-hang: closes its output, then runs on ignoring SIGINT.
Installed as node_modules/.bin/convex of a project copy by `copy_project_with_standin_cli`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import NoReturn


def log(line: str) -> None:
    with open(os.environ["STANDIN_LOG"], "a") as file:
        file.write(line + "\n")


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def run_on() -> NoReturn:
    while True:
        time.sleep(1000)


def with_a_child() -> subprocess.Popen[bytes]:
    """Like convex dev: it keeps running, with a child of its own."""
    child = subprocess.Popen(["sleep", "3600"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    log("grandchild " + str(child.pid))
    return child


def main() -> None:
    log("started " + compact({"argv": sys.argv[1:], "agent": os.environ.get("CONVEX_AGENT_MODE")}))
    # /proc/self/stat: field 5 is our process group, field 8 the terminal's foreground group.
    with open("/proc/self/stat") as stat_file:
        stat = stat_file.read().split(") ")[1].split(" ")
    log("terminal " + compact({"tty": sys.stdout.isatty(), "foreground": stat[2] == stat[5]}))
    mode = os.environ.get("STANDIN_MODE") or "exit"
    if mode == "exit":
        print(os.environ.get("STANDIN_OUTPUT", ""), flush=True)
        sys.exit(int(os.environ.get("STANDIN_CODE") or 0))
    if mode == "write-url":
        with open(".env.local", "a") as env_local:
            env_local.write("CONVEX_URL=" + os.environ["STANDIN_URL"] + "\n")
        print("Convex functions ready!", flush=True)
        sys.exit(0)
    if mode == "run":
        child = with_a_child()

        def stop(number: int, _frame: FrameType | None) -> None:
            name = signal.Signals(number).name
            log("got " + name)
            child.terminate()
            os._exit(130 if name == "SIGINT" else 143)

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, stop)
        log("ready")  # only now are the handlers in place
        print("Convex functions ready! (stand-in)", flush=True)
        run_on()
    if mode == "quiet-hang":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        log("ready")
        os.close(1)
        os.close(2)
        run_on()
    if mode == "hang":
        with_a_child()
        signal.signal(signal.SIGINT, lambda _number, _frame: log("ignored SIGINT"))
        log("ready")
        run_on()
    sys.exit(f"standin_convex: unknown STANDIN_MODE {mode!r}")


if __name__ == "__main__":
    main()
