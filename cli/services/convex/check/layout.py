"""The files the check needs: the functions folder, its schema.ts and tsconfig.json, .env.example."""

from __future__ import annotations

import os
import stat

from cli.services.config.env_example import ENV_EXAMPLE
from cli.services.project import Project
from cli.shared.report import CheckResult, Finding, Status


def layout_problems(project: Project) -> dict[str, str]:
    """Each file the check needs that is not what it should be: "missing", or what it is."""
    wanted = {
        project.functions: stat.S_ISDIR,
        project.schema_file: stat.S_ISREG,
        project.tsconfig_file: stat.S_ISREG,
        ENV_EXAMPLE: stat.S_ISREG,
    }
    problems: dict[str, str] = {}
    for name, is_kind in wanted.items():
        try:
            mode = os.stat(project.root / name).st_mode  # follows symlinks, as Node will
        except FileNotFoundError:
            problems[name] = "missing"
            continue
        except OSError as error:
            problems[name] = f"unreadable ({error.strerror})"
            continue
        if not is_kind(mode):
            expected = "a folder" if is_kind is stat.S_ISDIR else "a regular file"
            problems[name] = f"not {expected}"
    return problems


def layout_result(project: Project, problems: dict[str, str]) -> CheckResult:
    if not problems:
        names = (project.schema_file, project.tsconfig_file, ENV_EXAMPLE)
        return CheckResult("layout", Status.PASSED, ", ".join(names) + " present")
    return CheckResult(
        "layout",
        Status.FAILED,
        "; ".join(f"{name} {problem}" for name, problem in problems.items()),
        "Restore them from version control, or create them as described in README.md "
        f"(`npx convex dev` writes {project.tsconfig_file}).",
        tuple(
            Finding(
                "layout/missing" if problem == "missing" else "layout/not-a-file",
                f"{name} is {problem}",
                file=name,
            )
            for name, problem in problems.items()
        ),
    )
