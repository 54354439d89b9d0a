from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.project import copy_project

pytest_plugins = ["tests.loopback.fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` (seconds of CPU time each: the real Convex CLI) first, so that the
    workers share them out rather than one worker running them alone at the end. Tests marked
    `waits` (seconds on a deadline, the CPU idle) spread evenly through the rest: workers take
    tests in this order, and several waiting at once would leave both CPUs idle."""
    slow = [item for item in items if item.get_closest_marker("slow")]
    waits = [item for item in items if item.get_closest_marker("waits") and item not in slow]
    rest = [item for item in items if item not in slow and item not in waits]
    spaced = list(rest)
    for i, item in enumerate(waits):  # i items already inserted before this one's place
        spaced.insert(round((i + 1) * len(rest) / (len(waits) + 1)) + i, item)
    items[:] = slow + spaced


@pytest.fixture(autouse=True, scope="session")
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """pytest-xdist starts its workers with SIGINT ignored, and children inherit an ignored
    signal: the app under test would then never see Ctrl-C. Give it back its default."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Never touch the developer's environment or .env.local: no CONVEX_*, work in a temp dir."""
    import os

    for key in list(os.environ):
        if key.startswith("CONVEX_"):
            monkeypatch.delenv(key)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temporary copy of the project's Convex files with node_modules linked in."""
    return copy_project(tmp_path / "project")
