"""The formatter codegen lays its modules out with: what it says when ruff is missing, slow or
cannot read the text, and that it leaves nothing behind."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from cli.services.convex.typegen import formatter
from cli.services.convex.typegen.formatter import FormatError, format_sources
from cli.shared.errors import ExitCode
from tests.support.project import app_env, run_app


def test_the_text_comes_back_as_ruff_lays_it_out() -> None:
    done = format_sources({"a.py": "x = {'a':1,}\n", "b.py": "def f( ):  return 1\n"}, timeout=30)

    assert done == {"a.py": 'x = {\n    "a": 1,\n}\n', "b.py": "def f():\n    return 1\n"}


def test_text_that_does_not_parse_is_a_fault_of_codegens_in_ruffs_words() -> None:
    with pytest.raises(FormatError) as error:
        format_sources({"a.py": "class :\n"}, timeout=30)

    assert "ruff format could not format the generated code" in str(error.value)
    assert "fault of codegen" in error.value.hint and error.value.exit_code == ExitCode.FAILED


def test_a_formatter_that_hangs_is_stopped_at_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"
    slow = tmp_path / "ruff"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 30\n")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(formatter, "ruff_binary", lambda: str(slow))

    began = time.monotonic()
    with pytest.raises(FormatError) as error:
        format_sources({"a.py": "x = 1\n"}, timeout=0.5)

    assert time.monotonic() - began < 5
    assert str(error.value) == "ruff format did not finish within 0.5 s"
    assert error.value.hint == "Raise --timeout."
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # nothing left running


def test_codegen_without_ruff_says_so_in_one_line_and_exits_3(project: Path, tmp_path: Path) -> None:
    # A `ruff` package first on the path that has lost its binary, as a broken install would.
    fake = tmp_path / "site" / "ruff"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("def find_ruff_bin():\n    raise FileNotFoundError('ruff')\n")
    env = {**app_env(), "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), *sys.path])}

    result = run_app("convex", "codegen", cwd=project, env=env)

    assert result.returncode == ExitCode.CONFIG, result.output
    assert "the installed ruff package has no ruff binary" in result.stdout
    assert "Run `make setup` (it installs the pinned ruff)" in result.stdout
    assert "Traceback" not in result.output
