"""What a deployment that did not answer means to the user: one line of cause, one of advice."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from cli.shared.errors import UnreachableError


def unreachable(
    url: str, error: BaseException, seconds: float, where: str = "CONVEX_URL"
) -> UnreachableError:
    """The user-facing error for a deployment that did not answer; `where`: what the user would
    change to fix the URL (the variable, or the flag that gave it)."""
    host = urlsplit(url).netloc
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, socket.gaierror):
        return UnreachableError(
            f"cannot resolve {urlsplit(url).hostname}: no such host",
            f"Check the host name in {where}, and your network or DNS.",
            detail=detail,
        )
    if isinstance(error, ConnectionRefusedError):
        return UnreachableError(
            f"connection refused by {host}: nothing is listening there",
            f"Start the deployment (`app convex dev`), or check the port in {where}.",
            detail=detail,
        )
    import ssl

    if isinstance(error, ssl.SSLCertVerificationError):
        return UnreachableError(
            f"the TLS certificate of {host} is not trusted ({error.verify_message or error.reason})",
            f"Check the host name in {where}; behind a proxy that re-signs TLS, make its CA "
            "certificate trusted (SSL_CERT_FILE).",
            detail=detail,
        )
    if isinstance(error, ssl.SSLError):
        return UnreachableError(
            f"TLS handshake with {host} failed ({error.reason or error.__class__.__name__})",
            f"If the deployment serves plain HTTP (a local backend does), use http:// in {where}.",
            detail=detail,
        )
    if isinstance(error, TimeoutError):
        return UnreachableError(
            f"no answer from {host} within {seconds:g} s",
            "Check that the deployment is up, or give it longer with --timeout.",
            detail=detail,
        )
    return UnreachableError(
        f"cannot reach {host}: {error.__class__.__name__}: {error}",
        f"Check that the deployment is up and that {where} is right.",
        detail=detail,
    )
