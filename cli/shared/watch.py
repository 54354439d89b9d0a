"""Waiting for files to change, at no cost while nothing does.

On Linux the kernel's inotify tells us (a blocking read: no polling, no timer); elsewhere
the watchfiles package does. Changes are handed over once they settle: after the first one,
when `settle` seconds pass with no other (an editor's save is several events: a temporary
file, a rename, an attribute change).
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from cli.shared.errors import ConfigError

SETTLE = 0.05
# <sys/inotify.h>
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ONLYDIR, IN_ISDIR = 0x4000, 0x8000, 0x01000000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
)
EVENT = struct.Struct("iIII")


class Watcher:
    """Folders watched (recursively) and single files; `changes()` blocks until some settle."""

    def __init__(
        self,
        folders: Iterable[Path],
        *,
        skip: Callable[[Path], bool] = lambda _: False,
        settle: float = SETTLE,
    ) -> None:
        self.skip = skip
        self.settle = settle
        self._files: set[Path] = set()
        self._wake_r, self._wake_w = os.pipe()
        self._closed = threading.Event()
        try:
            self._impl: _Inotify | _Polling = _Inotify(self) if sys.platform == "linux" else _Polling(self)
            for folder in folders:
                self._impl.add_tree(folder)
        except BaseException:
            self.release()
            raise

    def add_files(self, files: Iterable[Path]) -> None:
        """Also watch these files (ones outside the folders, e.g. imported from elsewhere)."""
        for file in files:
            if file not in self._files:
                self._files.add(file)
                self._impl.add_file(file)

    def changes(self) -> set[Path] | None:
        """The paths that changed, once they settle; None once `close` was called."""
        return self._impl.changes()

    def close(self) -> None:
        """Stop watching; a `changes()` waiting in another thread returns None."""
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def release(self) -> None:
        """Free the descriptors (after the waiting thread has returned)."""
        if hasattr(self, "_impl"):
            self._impl.release()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def wanted(self, path: Path, folder_event: bool) -> bool:
        if self.skip(path):
            return False
        return folder_event or path in self._files


class WatchError(ConfigError):
    """Files cannot be watched: a limit of the system's is reached."""

    code = "watch"


def unavailable(number: int) -> WatchError:
    setting = "fs.inotify.max_user_watches" if number == errno.ENOSPC else "fs.inotify.max_user_instances"
    return WatchError(
        f"files cannot be watched: {os.strerror(number)} (inotify; the limit is {setting})",
        f"Stop other programs that watch files, or raise it: `sudo sysctl {setting}=<a higher number>`.",
    )


def _inotify_fd(libc: Any) -> int:
    """A new inotify instance; WatchError when the system has none to give."""
    import ctypes

    fd = int(libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
    if fd < 0:
        raise unavailable(ctypes.get_errno())
    return fd


class _Inotify:
    def __init__(self, watcher: Watcher) -> None:
        import ctypes

        self.watcher = watcher
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = _inotify_fd(self.libc)
        self.folders: dict[int, Path] = {}  # watch descriptor -> folder
        self.recursive: set[int] = set()

    def _watch(self, folder: Path) -> int:
        """The folder's watch descriptor; -1 for one that went or may not be read (skipped)."""
        import ctypes

        wd = int(self.libc.inotify_add_watch(self.fd, os.fsencode(folder), MASK | IN_ONLYDIR))
        if wd < 0 and ctypes.get_errno() in (errno.ENOSPC, errno.ENOMEM):
            raise unavailable(ctypes.get_errno())
        return wd

    def add_tree(self, folder: Path) -> None:
        for current, dirs, _ in os.walk(folder):
            path = Path(current)
            dirs[:] = [d for d in dirs if not self.watcher.skip(path / d)]
            wd = self._watch(path)
            if wd >= 0:
                self.folders[wd] = path
                self.recursive.add(wd)

    def add_file(self, file: Path) -> None:
        wd = self._watch(file.parent)
        if wd >= 0 and wd not in self.folders:
            self.folders[wd] = file.parent

    def _read(self, changed: set[Path], created: set[Path]) -> None:
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return
        offset = 0
        while offset + EVENT.size <= len(data):
            wd, mask, _cookie, length = EVENT.unpack_from(data, offset)
            raw = data[offset + EVENT.size : offset + EVENT.size + length].rstrip(b"\0")
            offset += EVENT.size + length
            if mask & IN_Q_OVERFLOW:  # the kernel dropped events: say every folder changed
                changed.update(self.folders.values())
                continue
            folder = self.folders.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED:
                self.folders.pop(wd, None)
                self.recursive.discard(wd)
                continue
            path = folder / os.fsdecode(raw) if raw else folder
            in_tree = wd in self.recursive
            if (
                in_tree
                and mask & IN_ISDIR
                and mask & (IN_CREATE | IN_MOVED_TO)
                and not self.watcher.skip(path)
            ):
                self.add_tree(path)  # a new folder: watch it and what it already holds
            if not self.watcher.wanted(path, in_tree):
                continue
            if mask & IN_CREATE:
                created.add(path)
            if mask & (IN_DELETE | IN_MOVED_FROM) and path in created:
                changed.discard(path)  # a temporary file, gone within the batch (sed -i, editors)
                created.discard(path)
                continue
            changed.add(path)

    def changes(self) -> set[Path] | None:
        changed: set[Path] = set()
        created: set[Path] = set()
        wake = self.watcher._wake_r
        while True:
            timeout = self.watcher.settle if changed else None
            ready, _, _ = select.select([self.fd, wake], [], [], timeout)
            if self.watcher._closed.is_set():
                return None
            if not ready and changed:
                return changed  # settled
            if not ready:  # only temporary files came and went: wait on
                created.clear()
                continue
            self._read(changed, created)

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class _Polling:
    """Elsewhere than Linux: watchfiles (FSEvents, kqueue, ReadDirectoryChangesW)."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.paths: set[Path] = set()
        self.trees: set[Path] = set()
        self._watching: set[Path] = set()
        self._batches: Iterator[set[tuple[Any, str]]] | None = None

    def add_tree(self, folder: Path) -> None:
        self.paths.add(folder)
        self.trees.add(folder)

    def add_file(self, file: Path) -> None:
        self.paths.add(file.parent)

    def changes(self) -> set[Path] | None:
        import watchfiles

        if self._batches is None or self._watching != self.paths:  # one watch across calls
            self._watching = set(self.paths)
            self._batches = watchfiles.watch(
                *self._watching,
                step=max(1, int(self.watcher.settle * 1000)),
                stop_event=self.watcher._closed,
                raise_interrupt=False,
                rust_timeout=0,
            )
        batches = self._batches
        for batch in batches:
            wanted = {path for path in map(Path, (p for _, p in batch)) if self._wanted(path)}
            if wanted:
                return wanted
        return None

    def _wanted(self, path: Path) -> bool:
        tree = next((t for t in self.trees if path.is_relative_to(t)), None)
        if tree is not None:  # inside a skipped folder (inotify never watches those)
            inner = path.relative_to(tree).parents
            if any(self.watcher.skip(tree / folder) for folder in inner if folder != Path(".")):
                return False
        return self.watcher.wanted(path, tree is not None)

    def release(self) -> None:
        pass
