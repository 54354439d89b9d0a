"""The layout check names every file that is not what the check needs, not just the first."""

from __future__ import annotations

from pathlib import Path

from cli.services.convex.check.layout import layout_problems, layout_result
from cli.services.project import load_project
from cli.shared.report import Status
from tests.support.project import copy_project


def test_every_layout_problem_is_reported(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "convex" / "schema.ts").unlink()
    (root / "convex" / "tsconfig.json").unlink()
    (root / ".env.example").unlink()
    (root / ".env.example").mkdir()
    project = load_project(root)

    problems = layout_problems(project)
    result = layout_result(project, problems)

    assert problems == {
        "convex/schema.ts": "missing",
        "convex/tsconfig.json": "missing",
        ".env.example": "not a regular file",
    }
    assert result.status is Status.FAILED
    assert [(f.code, f.file) for f in result.findings] == [
        ("layout/missing", "convex/schema.ts"),
        ("layout/missing", "convex/tsconfig.json"),
        ("layout/not-a-file", ".env.example"),
    ]
    for name in problems:
        assert name in result.message


def test_a_complete_layout_passes(tmp_path: Path) -> None:
    project = load_project(copy_project(tmp_path / "project"))

    assert layout_problems(project) == {}
    assert layout_result(project, {}).status is Status.PASSED
