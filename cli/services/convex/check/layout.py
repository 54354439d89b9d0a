"""The files the check needs: the functions folder, its schema.ts and tsconfig.json, .env.example."""

from __future__ import annotations

import os
import stat

from cli.services.config.env_example import ENV_EXAMPLE
from cli.services.project import FolderProblem, Project, functions_folder_problem
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
    folder = functions_folder_problem(project) if project.functions in problems else None
    if folder is not None:  # its files are missing with it: the folder is the one cause
        return _folder_result(folder, {k: v for k, v in problems.items() if k == ENV_EXAMPLE})
    return CheckResult(
        "layout",
        Status.FAILED,
        "; ".join(f"{name} {problem}" for name, problem in problems.items()),
        _restore_hint(project, problems),
        tuple(_finding(name, problem) for name, problem in problems.items()),
    )


def _restore_hint(project: Project, problems: dict[str, str]) -> str:
    """Restoring is the fix for each; `npx convex dev` also writes a missing tsconfig.json."""
    names = list(problems)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    hint = f"Restore {listed} from version control"
    if problems.get(project.tsconfig_file) == "missing":
        hint += f" (`npx convex dev` writes {project.tsconfig_file} when there is none)"
    return hint + "."


def _folder_result(folder: FolderProblem, others: dict[str, str]) -> CheckResult:
    code = "layout/missing" if folder.missing else "layout/not-a-folder"
    findings = [Finding(code, folder.detail, file=folder.file, line=folder.line)]
    findings += [_finding(name, problem) for name, problem in others.items()]
    message = "; ".join([folder.message, *(f"{name} {problem}" for name, problem in others.items())])
    return CheckResult("layout", Status.FAILED, message, folder.hint, tuple(findings))


def _finding(name: str, problem: str) -> Finding:
    code = "layout/missing" if problem == "missing" else "layout/not-a-file"
    return Finding(code, f"{name} is {problem}", file=name)
