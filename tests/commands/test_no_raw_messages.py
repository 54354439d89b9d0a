"""No Python or library wording reaches the user: each odd input gets the app's own words."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.project import run_app

RAW = re.compile(
    r"\[Errno \d+\]|utf-8-sig|could not be cast|out of range 0-65535|Traceback|"
    r"JSONDecodeError|UnicodeDecodeError|Expecting value|codec can't"
)


def bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


CASES: dict[str, tuple[Callable[[Path], object], tuple[str, ...]]] = {
    "package.json with a BOM": (lambda p: bom(p / "package.json"), ("convex", "check", "--no-typecheck")),
    "convex.json with a BOM": (
        lambda p: (p / "convex.json").write_bytes(b'\xef\xbb\xbf{"functions": "convex"}'),
        ("convex", "check", "--no-typecheck"),
    ),
    "convex.json cut short": (
        lambda p: (p / "convex.json").write_text('{"functions": '),
        ("convex", "check", "--no-typecheck"),
    ),
    "functions folder under a file": (
        lambda p: (p / "convex.json").write_text('{"functions": "convex/schema.ts/inner"}'),
        ("convex", "check", "--no-typecheck"),
    ),
    "a port that is not a number": (
        lambda p: (p / ".env.local").write_text("CONVEX_URL=http://127.0.0.1:1:3210\n"),
        ("convex", "ping"),
    ),
    "a port out of range": (
        lambda p: (p / ".env.local").write_text("CONVEX_URL=http://127.0.0.1:99999\n"),
        ("convex", "ping"),
    ),
    "a self-hosted URL that is no URL": (
        lambda p: (p / ".env.local").write_text(
            'CONVEX_SELF_HOSTED_URL="not a url"\nCONVEX_SELF_HOSTED_ADMIN_KEY=self-hosted|0a1b\n'
        ),
        ("convex", "dev", "--once"),
    ),
    ".env.example that is a folder": (
        lambda p: folder_instead(p / ".env.example"),
        ("convex", "check", "--no-typecheck"),
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_odd_input_gets_the_apps_own_words(project: Path, case: str) -> None:
    change, args = CASES[case]
    change(project)

    result = run_app(*args, "--timeout", "5", cwd=project)

    assert result.returncode in (1, 3), result.output
    assert not RAW.search(result.output), result.output
    assert "error" in result.output or "✘" in result.output
    assert "0a1b" not in result.output  # nor a key
