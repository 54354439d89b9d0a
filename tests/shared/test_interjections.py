"""Lines said while a child runs land between its own lines: never in the middle of one,
never while a spinner redraws (its cursor hidden)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from cli.shared.terminal import Interjections, run_in_foreground


def test_held_mid_line_and_while_the_cursor_is_hidden() -> None:
    said = Interjections()
    try:
        said.post(b"app line\n")
        said.seen(b"- Preparing")  # mid-line
        assert said.due() == b""
        said.seen(b"...\n\x1b[?25l\x1b[1G\xe2\xa0\x8b Bundling\n")  # a spinner frame: cursor hidden
        assert said.due() == b""
        said.seen(b"\x1b[1G\x1b[?2")  # the show-cursor sequence split between two reads
        said.seen(b"5h\xe2\x9c\x94 ready\n")
        assert said.due() == b"app line\n"
        assert said.due() == b""  # said once
    finally:
        said.close()


def test_said_between_the_childs_lines(tmp_path: Path) -> None:
    child = (
        "import sys, time\n"
        "sys.stdout.write('first half'); sys.stdout.flush(); time.sleep(0.6)\n"
        "sys.stdout.write(' second half\\n'); sys.stdout.flush(); time.sleep(0.2)\n"
    )
    out: list[bytes] = []
    said = Interjections()

    def echo(data: bytes) -> None:
        out.append(data)
        if b"".join(out) == b"first half":  # posted while the child is mid-line, however busy the machine
            said.post(b"app says\n")

    try:
        relayed = run_in_foreground(
            [sys.executable, "-c", child], cwd=tmp_path, env={}, echo=echo, interjections=said
        )
    finally:
        said.close()

    assert relayed.returncode == 0
    assert b"".join(out) == b"first half second half\napp says\n"


def test_what_is_left_is_said_when_the_child_ends(tmp_path: Path) -> None:
    out: list[bytes] = []
    said = Interjections()
    poster = threading.Timer(0.3, lambda: said.post(b"last words\n"))
    poster.start()
    child = (
        "import sys, time; sys.stdout.write('\\x1b[?25l spinning\\n'); sys.stdout.flush(); time.sleep(0.8)"
    )
    began = time.monotonic()
    try:
        run_in_foreground(
            [sys.executable, "-c", child], cwd=tmp_path, env={}, echo=out.append, interjections=said
        )
    finally:
        poster.cancel()
        said.close()

    assert b"".join(out) == b"\x1b[?25l spinning\nlast words\n"  # held while it spun, said at its end
    assert time.monotonic() - began < 5
