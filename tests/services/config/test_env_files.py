""".env files read as the Convex CLI reads them: what it ignores is ignored here too, and said."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cli.services.config.env_files import load_env_file, read_env_file

SECRET = "prod:s3cret-VALUE-0123"


def test_a_missing_file_is_nothing_to_say(tmp_path: Path) -> None:
    loaded = load_env_file(tmp_path / ".env.local")

    assert (loaded.read, loaded.values, loaded.warnings) == (False, {}, ())
    assert read_env_file(tmp_path / ".env.local") is None


def test_a_folder_is_ignored_with_a_warning_naming_it(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()

    loaded = load_env_file(tmp_path / ".env")

    assert not loaded.read and loaded.values == {}
    [warning] = loaded.warnings
    assert (warning.file, warning.line, warning.where) == (".env", None, ".env")
    assert "is a folder" in warning.message and str(tmp_path / ".env") in warning.hint
    assert read_env_file(tmp_path / ".env") is None


def test_an_unreadable_file_is_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ".env.local"
    path.write_text(f"CONVEX_DEPLOY_KEY={SECRET}\n")

    def refuse(self: Path) -> bytes:  # as chmod 000 would, even for root
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    loaded = load_env_file(path)

    assert not loaded.read and loaded.values == {}
    [warning] = loaded.warnings
    assert warning.message.startswith(".env.local cannot be read (permission denied)")
    assert read_env_file(path) is None


def test_a_link_to_nothing_and_a_pipe_are_ignored_with_warnings(tmp_path: Path) -> None:
    (tmp_path / ".env.local").symlink_to(tmp_path / "gone")
    os.mkfifo(tmp_path / ".env")
    # A pipe nobody writes to would block a read for ever: never read, so this ends at once.
    done = threading.Event()
    results = []

    def load() -> None:
        results.extend([load_env_file(tmp_path / ".env.local"), load_env_file(tmp_path / ".env")])
        done.set()

    threading.Thread(target=load, daemon=True).start()
    assert done.wait(10)

    link, pipe = results
    assert "link to a file that does not exist" in link.warnings[0].message
    assert "not a regular file" in pipe.warnings[0].message
    assert not link.read and not pipe.read


def test_problems_are_warnings_with_file_line_and_hint_never_the_value(tmp_path: Path) -> None:
    path = tmp_path / ".env.local"
    path.write_bytes(
        b"# a comment with a latin-1 \xe9 is fine\n"
        + f"CONVEX_URL={SECRET}\n".encode()
        + f"{SECRET}\n".encode()
        + f'CONVEX_DEPLOYMENT="{SECRET}\n'.encode()
        + f"CONVEX_URL={SECRET}\n".encode()
        + f"K=\xe9{SECRET}\n".encode("latin-1")
        + f"N={SECRET}\x00after\n".encode()
    )

    loaded = load_env_file(path)

    assert [(w.where, w.hint.split()[0]) for w in loaded.warnings] == [
        (".env.local line 3", "Write"),
        (".env.local line 4", "Close"),
        (".env.local line 5", "Keep"),
        (".env.local line 6", "Save"),
        (".env.local line 7", "Remove"),
    ]
    for warning in loaded.warnings:
        assert SECRET not in warning.message + warning.hint
    assert loaded.values["N"] == SECRET  # process.env ends a value at NUL
    assert loaded.values["K"] == f"\ufffd{SECRET}"
    assert loaded.line_of("CONVEX_URL") == 5  # the definition that counts


def test_read_env_file_keeps_the_signature_dev_uses(tmp_path: Path) -> None:
    path = tmp_path / ".env.local"
    path.write_text('CONVEX_URL="http://127.0.0.1:3210\n')  # broken: still read, as the CLI reads it

    assert read_env_file(path) == {"CONVEX_URL": '"http://127.0.0.1:3210'}


def test_python_dotenv_is_not_used() -> None:
    code = (
        "import sys; import cli.services.config.settings, cli.services.config.env_example; "
        "sys.exit('dotenv' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60, check=False).returncode == 0
