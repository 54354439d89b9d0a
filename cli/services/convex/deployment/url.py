"""CONVEX_URL: where it comes from, and the rules a deployment URL must follow.

A deployment URL is a scheme, a host and maybe a port: the Convex clients append their own
paths (`/api/...`) to it, so a path, query or fragment would send every request astray.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from cli.services.config.settings import Setting, Settings
from cli.shared.errors import ConfigError
from cli.shared.text import shorten

URL_VARIABLE = "CONVEX_URL"
EXAMPLE_URL = "https://happy-otter-123.convex.cloud"  # the shape of a cloud deployment's URL
EXAMPLES = f"e.g. {EXAMPLE_URL} or http://127.0.0.1:3210"


def deployment_url(settings: Settings) -> Setting:
    """CONVEX_URL from the settings, checked; ConfigError (exit 3) when missing or malformed."""
    setting = settings.get(URL_VARIABLE)
    if setting is None:
        raise ConfigError(
            f"{URL_VARIABLE} is not set",
            f"Run `app convex dev` (it writes {URL_VARIABLE} to .env.local), or set {URL_VARIABLE} "
            f"to your deployment's URL, {EXAMPLES}",
        )
    problem = url_problem(setting.text)
    if problem:
        raise ConfigError(
            f"{setting.describe()} is not a deployment URL: {shown_url(setting.text)!r} ({problem})",
            f"Set {URL_VARIABLE} to the deployment's URL alone, {EXAMPLES}",
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
    if parts.path not in ("", "/"):
        return f"it has a path, {shorten(parts.path, 40)!r}; the clients add their own paths to the host"
    if parts.query or url.endswith("?"):
        return f"it has a query, {shorten('?' + parts.query, 40)!r}, which deployment URLs never have"
    if parts.fragment or url.endswith("#"):
        return f"it has a fragment, {shorten('#' + parts.fragment, 40)!r}, which deployment URLs never have"
    return None


def shown_url(url: str, limit: int = 100) -> str:
    """The URL for messages: any password masked, and shortened when long."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    masked = url.replace(f":{password}@", ":****@", 1) if password else url
    return shorten(masked, limit)
