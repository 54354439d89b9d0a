"""Signal handlers installed for a block of code and restored after it: the one place the
app swaps them (the runner, child-process start-up, convex dev's forwarding)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from types import FrameType

Handler = Callable[[int, FrameType | None], object]

# What ends a command: Ctrl-C, and a terminal or CI job going away.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def handled(signals: Iterable[int], handler: Handler) -> Iterator[None]:
    """`handler` for `signals` inside the block; what was there before, after it. Outside
    the main thread (where Python allows no handler) the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def held(signals: Iterable[int] = STOP_SIGNALS) -> Iterator[list[int]]:
    """Signals received inside the block are recorded instead of acted on; the caller acts
    on them once its bookkeeping is done (e.g. once a new child is registered)."""
    received: list[int] = []
    with handled(signals, lambda signum, _frame: received.append(signum)):
        yield received
