"""Ping's sync step: one query over the WebSocket sync path, in a bounded child process
(sync_probe.py), because the official Python client has no timeout and holds the GIL."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.services.convex.deployment.http import Deadline
from cli.services.convex.ping.health import HEALTH_FUNCTION, PUSH_HINT, error_summary
from cli.shared.process import Bounded
from cli.shared.report import CheckResult, Status


def start_sync(url: str, deadline: Deadline) -> Bounded | None:
    """One query through the official ConvexClient (WebSocket), in a bounded child process."""
    remaining = deadline.remaining()
    if remaining <= 0.05:
        return None
    # -P: a folder named cli in the project (the working directory) must not hide the app.
    argv = [sys.executable, "-P", "-m", "cli.services.convex.ping.sync_probe", url, HEALTH_FUNCTION]
    return Bounded(argv, cwd=Path.cwd(), timeout=remaining, result_file=True)


def finish_sync(proc: Bounded | None) -> tuple[CheckResult, float | None]:
    """The sync check's result, and the query's round trip in milliseconds when it answered."""
    if proc is None:
        return CheckResult.failure(
            "sync", "ping/sync", "no time left for the WebSocket check", "Raise --timeout."
        ), None
    done = proc.finish()
    remaining = proc.deadline - proc.started
    result = done.result if isinstance(done.result, dict) else None
    if done.timed_out or result is None:
        why = (
            f"no answer within {remaining:.1f} s"
            if done.timed_out
            else f"the client stopped without an answer (exit {done.returncode})"
        )
        hint = (
            "HTTP works but the sync path does not: check proxies or firewalls for WebSocket "
            "(wss://) traffic to the deployment."
        )
        return CheckResult.failure("sync", "ping/sync", f"WebSocket sync: {why}", hint), None
    if not result.get("ok"):
        summary = error_summary(str(result.get("error", "")))
        message = f"WebSocket sync: {HEALTH_FUNCTION} failed: {summary}"
        return CheckResult.failure("sync", "ping/sync", message, PUSH_HINT), None
    seconds = float(result.get("seconds", 0.0))
    message = f"WebSocket sync answered {HEALTH_FUNCTION} in {seconds * 1000:.1f} ms"
    return CheckResult("sync", Status.PASSED, message), round(seconds * 1000, 3)
