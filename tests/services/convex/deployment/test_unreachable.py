"""A deployment that did not answer: the advice names what gave its URL (CONVEX_URL, or --url)."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import pytest

from cli.services.convex.deployment.http import Connection, Deadline, ProtocolError
from cli.services.convex.deployment.unreachable import unreachable
from cli.services.convex.ping.probe import network_failure
from cli.shared.errors import ExitCode
from tests.support.project import app_env, run_app

URL = "http://127.0.0.1:9"


def tls_error() -> ssl.SSLError:
    error = ssl.SSLError(1, "wrong version number")
    error.reason = "WRONG_VERSION_NUMBER"  # as the ssl module sets it on the errors it raises
    return error


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        (
            socket.gaierror(-2, "Name or service not known"),
            "Check the host name in {}, and your network or DNS.",
        ),
        (
            ConnectionRefusedError(111, "refused"),
            "Start the deployment (`app convex dev`), or check the port in {}.",
        ),
        (tls_error(), "use http:// in {}."),
        (OSError(113, "No route to host"), "Check that the deployment is up and that {} is right."),
    ],
    ids=["host", "port", "tls", "other"],
)
@pytest.mark.parametrize("where", ["CONVEX_URL", "--url"])
def test_the_advice_names_what_gave_the_url(error: OSError, advice: str, where: str) -> None:
    failure = unreachable(URL, error, 2.0, where)

    assert (failure.hint or "").endswith(advice.format(where))


def test_a_server_that_is_not_convex_is_checked_where_its_url_came_from() -> None:
    connection = Connection(URL, Deadline(1.0))

    flagged = network_failure(connection, ProtocolError("not an HTTP answer"), "reachable", False, "--url")
    default = network_failure(connection, ProtocolError("not an HTTP answer"), "reachable", False)

    assert (flagged.hint or "").startswith("Check --url: it should be the deployment URL")
    assert (default.hint or "").startswith("Check CONVEX_URL: it should be the deployment URL")


def test_ping_says_to_check_the_port_in_the_flag_or_the_variable(tmp_path: Path) -> None:
    flagged = run_app("convex", "ping", "--url", URL, "--timeout", "2", cwd=tmp_path)
    from_env = run_app("convex", "ping", "--timeout", "2", cwd=tmp_path, env=app_env(CONVEX_URL=URL))

    assert (flagged.returncode, from_env.returncode) == (ExitCode.UNREACHABLE, ExitCode.UNREACHABLE)
    assert "→ Start the deployment (`app convex dev`), or check the port in --url." in flagged.stdout
    assert "→ Start the deployment (`app convex dev`), or check the port in CONVEX_URL." in from_env.stdout
