"""CONVEX_URL: where it comes from, and the rules a deployment URL must follow.

A deployment URL is a scheme, a host and maybe a port: the Convex clients append their own
paths (`/api/...`) to it, so a path, query or fragment would send every request astray.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from cli.services.config.settings import Setting, Settings, SettingsWarning
from cli.shared.errors import ConfigError
from cli.shared.text import shorten

URL_VARIABLE = "CONVEX_URL"
EXAMPLE_URL = "https://happy-otter-123.convex.cloud"  # the shape of a cloud deployment's URL
EXAMPLES = f"e.g. {EXAMPLE_URL} or http://127.0.0.1:3210"


def deployment_url(settings: Settings) -> Setting:
    """CONVEX_URL from the settings, checked; ConfigError (exit 3) when missing or malformed."""
    setting = settings.get(URL_VARIABLE)
    if setting is None:
        unread = _unread_cause(settings)
        if unread is not None:  # it may be in there: say why it was not looked at, with that file's fix
            fix = unread.hint.removesuffix(".")
            raise ConfigError(
                f"{URL_VARIABLE} is not set: {unread.file} {unread.unread}, so it was not read",
                f"{fix}; `app convex dev` then writes {URL_VARIABLE} to .env.local.",
            )
        raise ConfigError(
            f"{URL_VARIABLE} is not set",
            f"Run `app convex dev` (it writes {URL_VARIABLE} to .env.local), or set {URL_VARIABLE} "
            f"to your deployment's URL, {EXAMPLES}",
        )
    alone = f"Pass {setting.source} the" if setting.from_flag else f"Set {URL_VARIABLE} to the"
    require_url(setting, f"{alone} deployment's URL alone, {EXAMPLES}")
    return setting


def url_warnings(settings: Settings) -> list[str]:
    """The settings' warnings to show before `deployment_url` runs: all but the one its error
    would say again (a settings file not read, when CONVEX_URL is then not set)."""
    unread = _unread_cause(settings)
    return settings.warning_lines(() if unread is None else (unread,))


def _unread_cause(settings: Settings) -> SettingsWarning | None:
    """The settings file that may hold CONVEX_URL but was not read, when CONVEX_URL is not set."""
    if settings.get(URL_VARIABLE) is not None:
        return None
    unread = settings.unread_files()
    return unread[0] if unread else None


def require_url(setting: Setting, hint: str) -> None:
    """ConfigError (exit 3) naming the setting and what is wrong, when it is no deployment URL."""
    problem = url_problem(setting.text)
    if problem:
        raise ConfigError(
            f"{setting.describe()} is not a deployment URL: {shown_url(setting.text)!r} ({problem})", hint
        )


def url_problem(url: str) -> str | None:
    """What keeps `url` from being a deployment URL, in words of our own (urllib's messages, such
    as "Port out of range 0-65535", never reach the user); None when it is one."""
    if url != url.strip() or any(ch.isspace() for ch in url):
        return "it contains spaces"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "it contains control characters"
    try:
        parts = urlsplit(url)
    except ValueError:  # brackets that do not close, or a host NFKC would change
        return _host_problem(url)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host"
    if parts.username is not None or parts.password is not None:
        return "it has a user name or password, which deployment URLs never have"
    host_and_port = parts.netloc.rpartition("@")[2]
    if host_and_port.startswith("["):
        inside, _, after = host_and_port[1:].partition("]")
        if after and not after.startswith(":"):
            return "it has text between the ] of its IPv6 address and the port"
        try:
            ipaddress.IPv6Address(inside)
        except ValueError:
            return "its host in [brackets] is not an IPv6 address"
    else:  # a name, which must encode
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            return "its host name is not valid"
    try:
        port = parts.port
    except ValueError:
        return _port_problem(host_and_port)
    if port == 0:
        return "its port must be a number from 1 to 65535, not 0"
    if parts.path not in ("", "/"):
        return f"it has a path, {shorten(parts.path, 40)!r}; the clients add their own paths to the host"
    if parts.query or url.endswith("?"):
        return f"it has a query, {shorten('?' + parts.query, 40)!r}, which deployment URLs never have"
    if parts.fragment or url.endswith("#"):
        return f"it has a fragment, {shorten('#' + parts.fragment, 40)!r}, which deployment URLs never have"
    return None


def _host_problem(url: str) -> str:
    netloc = url.partition("//")[2].split("/", 1)[0].rpartition("@")[2]
    before, bracket, inside = netloc.partition("[")
    if "]" in before:
        return "it has a ] with no [ before it to open an IPv6 address"
    if bracket and "]" not in inside:
        return "the ] that closes its IPv6 address in [brackets] is missing"
    if bracket:
        return "its host in [brackets] is not an IPv6 address"
    return "its host has characters that a host name cannot have"


def _port_problem(host_and_port: str) -> str:
    text = host_and_port.rpartition("]")[2] if host_and_port.startswith("[") else host_and_port
    port = text.partition(":")[2]
    if port.isascii() and port.isdigit():
        return f"its port must be a number from 1 to 65535, not {shorten(port, 20)}"
    return f"its port, {shorten(port, 20)!r}, is not a number"


def shown_url(url: str, limit: int = 100) -> str:
    """The URL for messages: any password masked, and shortened when long."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    masked = url.replace(f":{password}@", ":****@", 1) if password else url
    return shorten(masked, limit)
