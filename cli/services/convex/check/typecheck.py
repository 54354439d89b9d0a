"""`tsc --noEmit -p <functions folder>` with the project's TypeScript, each error a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cli.services.project import Project
from cli.shared.process import Bounded, Finished
from cli.shared.report import Finding

# `convex/schema.ts(3,5): error TS2345: Argument of type ...`
TSC_ERROR = re.compile(
    r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$"
)
TSC_GLOBAL_ERROR = re.compile(r"^error (?P<code>TS\d+): (?P<msg>.*)$")


@dataclass(frozen=True)
class Typecheck:
    findings: tuple[Finding, ...]
    timed_out: bool = False
    failed_to_run: str | None = None  # set when tsc crashed without reporting errors


def typecheck_command(project: Project) -> str:
    """How the check is spelled to people (and how to run it by hand)."""
    return f"tsc --noEmit -p {project.functions}"


def start_typecheck(project: Project, timeout: float) -> Bounded | None:
    tsc = project.tsc
    if tsc is None:
        return None
    argv = [*tsc, "--noEmit", "-p", project.functions, "--pretty", "false"]
    return Bounded(argv, cwd=project.root, timeout=timeout)


def read_typecheck(done: Finished) -> Typecheck:
    if done.timed_out:
        return Typecheck((), timed_out=True)
    findings: list[Finding] = []
    for line in done.stdout.splitlines():
        if match := TSC_ERROR.match(line):
            findings.append(
                Finding(
                    f"types/{match['code']}",
                    match["msg"],
                    file=match["file"],
                    line=int(match["line"]),
                    column=int(match["col"]),
                )
            )
        elif match := TSC_GLOBAL_ERROR.match(line):
            findings.append(Finding(f"types/{match['code']}", match["msg"]))
        elif line.startswith("  ") and findings:
            last = findings[-1]  # a continuation line of the previous message
            findings[-1] = Finding(
                last.code, f"{last.message} {line.strip()}", last.file, last.line, last.column
            )
    if done.returncode != 0 and not findings:
        return Typecheck((), failed_to_run=done.last_words())
    return Typecheck(tuple(findings))
