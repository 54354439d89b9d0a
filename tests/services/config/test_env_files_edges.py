"""Settings files' edges, each warning in full: what dotenv's `config` ignores without a word (a
missing, unreadable or odd file: npm dotenv 16.6.1 lib/main.js `configDotenv` catches the read's
error) is ignored here too and said; process.env cuts a value at its first NUL (node's
environment is C strings). Also .env.example's documented names, read as dotenv reads them."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from cli.services.config.env_example import documented_gaps
from cli.services.config.env_files import EnvFile, SettingsWarning, load_env_file

IGNORED = "; the Convex CLI ignores it, and so does this app"


def test_a_missing_file_is_an_empty_file_not_read(tmp_path: Path) -> None:
    assert load_env_file(tmp_path / ".env.local", ".env.local") == EnvFile(".env.local", False, {}, (), ())
    assert load_env_file(tmp_path / ".env").name == ".env"


def test_a_value_ends_at_its_first_nul(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"A=one\x00two\x00three\nB=x\n")

    loaded = load_env_file(tmp_path / ".env")

    assert loaded.values == {"A": "one", "B": "x"}
    assert (loaded.line_of("B"), loaded.line_of("MISSING")) == (2, None)


def test_warnings_name_their_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\nA=2\n", encoding="utf-8")

    assert load_env_file(tmp_path / ".env", "the .env").warnings == (
        SettingsWarning(
            "the .env",
            2,
            "A is set again (first on line 1); the last one wins",
            "Keep one of the lines.",
            "A",
        ),
    )


def test_a_link_to_nothing_is_said_in_full(tmp_path: Path) -> None:
    path = tmp_path / ".env.local"
    path.symlink_to(tmp_path / "gone")

    assert load_env_file(path).warnings == (
        SettingsWarning(
            ".env.local",
            None,
            f".env.local is a link to a file that does not exist{IGNORED}",
            f"Point the link {path} at an existing file, or remove it.",
            unread="is a link to a file that does not exist",
        ),
    )


def test_a_link_loop_cannot_be_read_and_is_said_in_full(tmp_path: Path) -> None:
    path = tmp_path / ".env.local"
    path.symlink_to(path)  # stat fails with ELOOP, not "no such file"

    loaded = load_env_file(path)

    assert not loaded.read
    assert loaded.warnings == (
        SettingsWarning(
            ".env.local",
            None,
            f".env.local cannot be read ({os.strerror(errno.ELOOP).lower()}){IGNORED}",
            f"Make {path} readable, or remove it.",
            unread=f"cannot be read ({os.strerror(errno.ELOOP).lower()})",
        ),
    )


def test_a_folder_and_a_pipe_are_said_in_full(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()
    os.mkfifo(tmp_path / ".env.local")  # never opened: a read would wait for a writer for ever

    assert load_env_file(tmp_path / ".env").warnings == (
        SettingsWarning(
            ".env",
            None,
            f".env is a folder, not a file of settings{IGNORED}",
            f"Remove the folder {tmp_path / '.env'}, or make it a file of NAME=value lines.",
            unread="is a folder, not a file of settings",
        ),
    )
    assert load_env_file(tmp_path / ".env.local").warnings == (
        SettingsWarning(
            ".env.local",
            None,
            ".env.local is not a regular file (a pipe, socket or device), so it is not read",
            f"Make {tmp_path / '.env.local'} a file of NAME=value lines.",
            unread="is not a regular file (a pipe, socket or device)",
        ),
    )


def test_a_read_that_fails_without_a_reason_names_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ".env"
    path.write_text("A=1\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError  # no errno, no strerror

    monkeypatch.setattr(Path, "read_bytes", refuse)

    assert load_env_file(path, ".env").warnings == (
        SettingsWarning(
            ".env",
            None,
            f".env cannot be read (permissionerror){IGNORED}",
            f"Make {path} readable, or remove it.",
            unread="cannot be read (permissionerror)",
        ),
    )


EXAMPLE_NAMES = ("CONVEX_URL", "CONVEX_DEPLOYMENT", "CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_URL")


def gaps(tmp_path: Path, text: str) -> list[tuple[str, bool, int | None]]:
    """The .env.example's gaps other than the admin key (documented in every case here)."""
    path = tmp_path / ".env.example"
    path.write_text(text + "# who\nCONVEX_SELF_HOSTED_ADMIN_KEY=\n", encoding="utf-8")
    return [(g.variable.name, g.missing, g.line) for g in documented_gaps(path)]


def test_the_first_line_has_no_comment_above_it_whatever_ends_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".env.example"
    names = [*EXAMPLE_NAMES[1:], "CONVEX_SELF_HOSTED_ADMIN_KEY"]
    path.write_text("CONVEX_URL=\n" + "".join(f"# who\n{name}=\n" for name in names) + "# the end", "utf-8")

    assert [(g.variable.name, g.missing, g.line) for g in documented_gaps(path)] == [("CONVEX_URL", False, 1)]


def test_a_comment_after_a_bom_still_documents(tmp_path: Path) -> None:
    """dotenv's `\\s` and `trim()` (JavaScript's) count U+FEFF as whitespace."""
    text = "\ufeff# who sets it\n" + "".join(f"{name}=\n# who\n" for name in EXAMPLE_NAMES)
    text = text.removesuffix("# who\n")

    assert gaps(tmp_path, text) == []


def test_a_name_documented_once_stays_documented(tmp_path: Path) -> None:
    text = "".join(f"# who\n{name}=\n" for name in EXAMPLE_NAMES) + "CONVEX_URL=again\n"

    assert gaps(tmp_path, text) == []
