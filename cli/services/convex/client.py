"""The app's Convex client (the story's client.ts): one `convex.ConvexClient` per process."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cli.services.config.config import Setting, Settings
from cli.shared.errors import ConfigError

if TYPE_CHECKING:
    from convex import ConvexClient

URL_VARIABLE = "CONVEX_URL"

_lock = threading.Lock()
_client: ConvexClient | None = None


def deployment_url(settings: Settings) -> Setting:
    """CONVEX_URL from the settings, checked; ConfigError (exit 3) when missing or malformed."""
    setting = settings.get(URL_VARIABLE)
    if setting is None:
        raise ConfigError(
            f"{URL_VARIABLE} is not set",
            f"Run `app convex dev` (it writes {URL_VARIABLE} to .env.local), or set {URL_VARIABLE} "
            "to your deployment's URL, e.g. https://happy-otter-123.convex.cloud",
        )
    problem = url_problem(setting.text)
    if problem:
        raise ConfigError(
            f"{setting.describe()} is not a deployment URL: {_redacted(setting.text)!r} ({problem})",
            f"Set {URL_VARIABLE} to the full URL, e.g. https://happy-otter-123.convex.cloud "
            "or http://127.0.0.1:3210",
        )
    return setting


def url_problem(url: str) -> str | None:
    if url != url.strip() or any(ch.isspace() for ch in url):
        return "it contains spaces"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host"
    if parts.username is not None or parts.password is not None:
        return "it has a user name or password, which deployment URLs never have"
    if ":" not in parts.hostname:  # not an IPv6 literal: a name, which must encode
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            return "its host name is not valid"
    if port == 0:
        return "port 0 is not a port"
    return None


def _redacted(url: str) -> str:
    """The URL with any password in it masked, for messages."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return url
    return url.replace(f":{password}@", ":****@", 1) if password else url


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
