"""Codegen --check's advice agrees in number with the stale files it found."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.services.convex.typegen.files import rewrite_hint
from tests.support.project import run_app

MODELS = Path("cli/services/convex/models")


@pytest.mark.parametrize(
    ("count", "hint"),
    [
        (1, "Run `app convex codegen` to write it again, and commit it."),
        (2, "Run `app convex codegen` to write them again, and commit them."),
    ],
)
def test_the_hint_agrees_with_the_number(count: int, hint: str) -> None:
    assert rewrite_hint(count) == hint


def test_codegen_check_says_it_for_one_stale_file_and_them_for_two(project: Path) -> None:
    documents, functions = project / MODELS / "documents.py", project / MODELS / "functions.py"
    documents.write_text(documents.read_text() + "# edited\n")

    one = run_app("convex", "codegen", "--check", cwd=project)
    functions.write_text(functions.read_text() + "# edited\n")
    two = run_app("convex", "codegen", "--check", cwd=project)

    assert (one.returncode, two.returncode) == (1, 1)
    assert "→ Run `app convex codegen` to write it again, and commit it." in one.stdout
    assert "→ Run `app convex codegen` to write them again, and commit them." in two.stdout
