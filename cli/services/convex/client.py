"""The app's Convex client: one `convex.ConvexClient` per process, built from CONVEX_URL."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cli.services.config.settings import Settings
from cli.services.convex.deployment.url import deployment_url

if TYPE_CHECKING:
    from convex import ConvexClient

_lock = threading.Lock()
_client: ConvexClient | None = None


def get_convex_client(settings: Settings | None = None) -> ConvexClient:
    """The process's one ConvexClient, built from CONVEX_URL on first use (thread-safe).

    The client connects lazily: this never touches the network. Its calls have no
    timeout and hold the GIL while they block, so bound them (child process or deadline).
    """
    global _client
    with _lock:
        if _client is None:
            url = deployment_url(settings or Settings.for_cwd())
            from convex import ConvexClient

            _client = ConvexClient(url.text)
        return _client


def reset_convex_client() -> None:
    """Forget the client (for tests, or after CONVEX_URL changed)."""
    global _client
    with _lock:
        _client = None
