"""Why a Node helper ended without its answer, named for what it is, with the advice that fits.

Node 20 says nothing on stderr for some of these, so the exit status decides:
- exit code 13: a top-level await never settled (Node's documented exit codes, "13 Unsettled
  Top-Level Await"; only Node 22 and later also print which one);
- `JavaScript heap out of memory` anywhere on stderr (V8's fatal OOM report, after the GC
  trace; the process then aborts with SIGABRT);
- a signal: something outside ended it (SIGKILL is what the kernel's OOM killer sends), or
  Node itself crashed (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from cli.shared.process import Finished

UNSETTLED_TOP_LEVEL_AWAIT = 13
OUT_OF_MEMORY = "JavaScript heap out of memory"
CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT})
REINSTALL_NODE = "Put Node.js 20 or newer first on PATH (https://nodejs.org), then run `make setup`."


@dataclass(frozen=True)
class NodeEnd:
    kind: str  # "unsettled-await", "out-of-memory", "signal", "crash"
    message: str
    hint: str | None  # None: the caller's own advice fits (a plain crash of the user's code)


def why_node_ended(done: Finished, doing: str, module: str) -> NodeEnd:
    """What ended node while it was `doing` (e.g. "evaluating convex/schema.ts"); `module` is
    the user's file the advice points at."""
    code = done.returncode
    if code == UNSETTLED_TOP_LEVEL_AWAIT:
        return NodeEnd(
            "unsettled-await",
            f"node ended (exit code 13) while {doing}: a top-level await in {module} "
            "or a module it imports never settled",
            f"Find the top-level `await` in what {module} imports whose promise never resolves, "
            "and make it settle or move it into a function.",
        )
    if OUT_OF_MEMORY in done.stderr:
        return NodeEnd(
            "out-of-memory",
            f"node ran out of memory while {doing}",
            f"Look for code in {module} or its imports that builds data without end; if it is "
            "really that large, give Node more heap: NODE_OPTIONS=--max-old-space-size=4096.",
        )
    if code is not None and code < 0:
        signum = signal.Signals(-code)
        if signum in CRASH_SIGNALS:
            hint = f"Node itself crashed, not the code in {module}: {REINSTALL_NODE}"
        elif signum == signal.SIGKILL:
            hint = (
                "Something outside ended it; the system's out-of-memory killer sends SIGKILL: "
                "check free memory, then run again."
            )
        else:
            hint = "Something outside ended it: run again."
        return NodeEnd("signal", f"node was killed by {signum.name} while {doing}", hint)
    return NodeEnd("crash", f"node crashed while {doing}: {done.last_words()}", None)
