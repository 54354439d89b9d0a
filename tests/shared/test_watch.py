"""The watcher: a save is reported once it settles, what no push is made of is not, and
waiting costs no CPU."""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.services.convex.schema.sources import not_pushed
from cli.shared.watch import Watcher


@pytest.fixture(params=["inotify", "watchfiles"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of watching: the kernel's (Linux) and watchfiles (elsewhere), tried here."""
    if request.param == "watchfiles":
        monkeypatch.setattr(sys, "platform", "darwin")
    return str(request.param)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "convex" / "_generated").mkdir(parents=True)
    (tmp_path / "convex" / "schema.ts").write_text("a")
    return tmp_path / "convex"


class Collected:
    """Batches a watcher reports, from a thread, as a command's watching thread gets them."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.batches: list[set[Path]] = []
        self.ended = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.watcher.changes()) is not None:
            self.batches.append(batch)
        self.ended.set()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[set[Path]]:
        deadline = time.monotonic() + timeout
        while len(self.batches) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.batches


@pytest.fixture
def collected(folder: Path, kind: str) -> Iterator[Collected]:
    watcher = Watcher([folder], skip=not_pushed)
    got = Collected(watcher)
    time.sleep(0.3 if kind == "watchfiles" else 0.05)  # watchfiles starts in the thread
    yield got
    watcher.close()
    assert got.ended.wait(5), "changes() did not return after close()"
    watcher.release()


def test_a_save_is_reported_once_with_its_path(folder: Path, collected: Collected) -> None:
    began = time.monotonic()
    (folder / "schema.ts").write_text("b")

    batches = collected.wait_for(1)

    assert batches == [{folder / "schema.ts"}]
    assert time.monotonic() - began < 2.0


def test_generated_code_dotfiles_and_editor_files_are_not_changes(folder: Path, collected: Collected) -> None:
    (folder / "_generated" / "api.js").write_text("x")
    (folder / ".schema.ts.swp").write_text("x")
    (folder / "schema.ts~").write_text("x")
    time.sleep(0.4)
    (folder / "messages.ts").write_text("x")  # then one that counts

    batches = collected.wait_for(1)
    time.sleep(0.3)

    assert collected.batches == [{folder / "messages.ts"}], batches


def test_an_atomic_save_is_the_file_it_replaces(folder: Path, collected: Collected, kind: str) -> None:
    temporary = folder / "schema.ts.tmp1234"  # sed -i and many editors: write aside, rename over
    temporary.write_text("new")
    os.replace(temporary, folder / "schema.ts")

    batches = collected.wait_for(1)
    time.sleep(0.3)

    if kind == "inotify":
        assert collected.batches == [{folder / "schema.ts"}]
    else:  # watchfiles reports the rename's both sides; what matters is the file itself
        assert folder / "schema.ts" in set().union(*batches)


def test_files_in_a_new_folder_are_watched(folder: Path, collected: Collected) -> None:
    (folder / "lib").mkdir()
    collected.wait_for(1)
    time.sleep(0.2)
    (folder / "lib" / "util.ts").write_text("x")

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and folder / "lib" / "util.ts" not in set().union(*collected.batches):
        time.sleep(0.02)

    assert folder / "lib" / "util.ts" in set().union(*collected.batches)


def test_a_file_outside_is_watched_alone(tmp_path: Path, folder: Path, kind: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "types.ts").write_text("a")
    watcher = Watcher([folder], skip=not_pushed)
    watcher.add_files([shared / "types.ts"])
    got = Collected(watcher)
    time.sleep(0.3 if kind == "watchfiles" else 0.05)
    try:
        (shared / "other.ts").write_text("x")  # its neighbour is nothing the schema reads
        time.sleep(0.3)
        (shared / "types.ts").write_text("b")
        got.wait_for(1)
        time.sleep(0.2)
        assert got.batches == [{shared / "types.ts"}]
    finally:
        watcher.close()
        got.ended.wait(5)
        watcher.release()


def test_waiting_costs_no_cpu(folder: Path) -> None:
    """The kernel wakes the reader; there is no timer to tick (measured: the thread blocked)."""
    watcher = Watcher([folder], skip=not_pushed)
    got = Collected(watcher)
    try:
        before = resource.getrusage(resource.RUSAGE_SELF)
        time.sleep(2.0)
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        assert used < 0.02, f"{used:.3f} s of CPU in 2 s of waiting"
        assert got.batches == []
    finally:
        watcher.close()
        assert got.ended.wait(5)
        watcher.release()


def test_no_inotify_left_is_one_clear_error_and_nothing_held(folder: Path) -> None:
    """What the kernel answers when fs.inotify.max_user_instances is reached (EMFILE)."""
    import ctypes
    import errno

    from cli.shared import watch

    class Exhausted:
        def inotify_init1(self, _flags: int) -> int:
            ctypes.set_errno(errno.EMFILE)
            return -1

    with pytest.raises(watch.WatchError) as raised:
        watch._inotify_fd(Exhausted())

    assert raised.value.exit_code == 3
    assert raised.value.message == (
        "files cannot be watched: Too many open files (inotify; the limit is fs.inotify.max_user_instances)"
    )
    assert "sudo sysctl fs.inotify.max_user_instances=" in (raised.value.hint or "")


def test_a_watcher_that_cannot_start_holds_no_descriptor(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from cli.shared import watch

    def refused(_libc: object) -> int:
        raise watch.unavailable(errno.EMFILE)

    monkeypatch.setattr(watch, "_inotify_fd", refused)
    before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(watch.WatchError):
        Watcher([folder], skip=not_pushed)
    assert len(os.listdir("/proc/self/fd")) == before
