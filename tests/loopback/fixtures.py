"""Pytest plugin: a loopback Convex test deployment in its own process, and friends.

Load it with ``pytest_plugins = ["tests.loopback.fixtures"]`` (or ``-p tests.loopback.fixtures``).
It holds fixtures only: the client they hand out (:class:`TestDeployment`) is in
``tests/loopback/client.py``, the helpers that run real clients against it in
``tests/loopback/real_clients.py``.

Fixtures:
- ``test_deployment``: a started :class:`TestDeployment`, reset before each test (one server
  process is shared by the session and restarted if a test stopped it).
- ``fresh_test_deployment``: a started :class:`TestDeployment` of the test's own, stopped after.
- ``refused_url``: ``http://127.0.0.1:PORT`` where nothing listens (connection refused).
- ``silent_tcp_url``: ``http://127.0.0.1:PORT`` whose socket listens but never accepts: the
  kernel completes the TCP handshake and nothing ever answers. It needs no thread, so it
  also works against the GIL-holding PyPI ``ConvexClient`` in the same process.
- ``convex_project``: a temporary copy of the project's ``convex/``, ``package.json`` and
  ``package-lock.json`` with ``node_modules`` linked in, for running the real Convex CLI.

The test deployment also speaks the self-hosted push API, so the real ``npx convex dev
--once`` can push to it: run it with ``real_clients.run_convex_cli``
(``CONVEX_SELF_HOSTED_URL`` = ``url``, ``CONVEX_SELF_HOSTED_ADMIN_KEY`` = the key given to
``set_info(admin_key=...)``); :meth:`TestDeployment.pushed` then tells what it received,
and ``health:ping`` returns the pushed schema's export.

Example::

    def test_ping(test_deployment: TestDeployment) -> None:
        test_deployment.set_schema('{"tables": [], "schemaValidation": true}')
        test_deployment.add_count_query("messages:count", "messages")
        ...  # run the CLI against test_deployment.url
        assert [r.path for r in test_deployment.requests()] == ["/api/query"]
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.loopback.real_clients import closed_port_url, copy_convex_project


@pytest.fixture(scope="session")
def _shared_test_deployment() -> Iterator[list[TestDeployment]]:
    holder: list[TestDeployment] = []
    yield holder
    for deployment in holder:
        deployment.close()


@pytest.fixture
def test_deployment(_shared_test_deployment: list[TestDeployment]) -> TestDeployment:
    """A running test deployment in its default state (shared process, reset per test)."""
    holder = _shared_test_deployment
    if holder and holder[0].is_running:
        holder[0].reset()
        return holder[0]
    for old in holder:
        old.close()
    holder[:] = [TestDeployment().start()]
    return holder[0]


@pytest.fixture
def fresh_test_deployment() -> Iterator[TestDeployment]:
    """A test deployment process of this test's own (stop it freely)."""
    with TestDeployment() as deployment:
        yield deployment


@pytest.fixture
def convex_project(tmp_path: Path) -> Path:
    """A temporary copy of the project for the real Convex CLI (see copy_convex_project)."""
    return copy_convex_project(tmp_path / "convex-project")


@pytest.fixture
def refused_url() -> str:
    return closed_port_url()


@pytest.fixture
def silent_tcp_url() -> Iterator[str]:
    """A URL whose port completes TCP handshakes (kernel backlog) but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        port: int = sock.getsockname()[1]
        yield f"http://127.0.0.1:{port}"
