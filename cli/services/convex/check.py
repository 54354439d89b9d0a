"""`app convex check`: a checklist of named, offline checks of the project's Convex setup.

The two Node steps (schema evaluation and tsc) start first and run concurrently; the
Python-side checks run while they do.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass

from cli.services.config.env_example import ENV_EXAMPLE, documented_gaps
from cli.services.convex import node as toolchain
from cli.services.convex.evaluation import Evaluation, read_evaluation, start_evaluation
from cli.services.convex.export_cache import cached_export, store_export
from cli.services.convex.node import SETUP_HINT
from cli.services.convex.report import CheckReport, CheckResult, Finding, Progress, Status
from cli.services.convex.schema_checks import schema_checks
from cli.services.convex.typecheck import Typecheck, read_typecheck, start_typecheck, typecheck_command
from cli.services.project import Project
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.text import plural


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 15.0
    typecheck: bool = True
    # Use the export an earlier evaluation of exactly these sources produced, instead of
    # starting Node (dev's preflight; `app convex check` itself always evaluates).
    reuse_evaluation: bool = False
    why_no_typecheck: str = "--no-typecheck"  # said when the type check is skipped
    node_version: str | None = None  # what `node --version` already told the caller (dev)


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


ORDER = ("layout", "toolchain", "schema", "push rules", "contract", "models", "types", "env example")


def run_check(project: Project, options: CheckOptions, progress: Progress | None = None) -> CheckReport:
    """Every check, each reported (to `progress` too) as soon as its result is known."""
    began = time.monotonic()
    report = CheckReport(str(project.root), order=ORDER, progress=progress)
    problems = layout_problems(project)
    node = project.node
    can_run_node = node is not None and project.convex.version is not None
    has_schema = project.schema_file not in problems
    has_tsconfig = project.tsconfig_file not in problems

    evaluation_proc: Bounded | None = None
    typecheck_proc: Bounded | None = None
    started: list[Bounded] = []
    reuse = options.reuse_evaluation and can_run_node and has_schema
    cached = cached_export(project) if reuse else None
    evaluation: Evaluation | None = Evaluation(cached, None) if cached is not None else None
    try:
        if can_run_node and node and has_schema and evaluation is None:
            evaluation_proc = start_evaluation(project, node, options.timeout)
            started.append(evaluation_proc)
        if can_run_node and node and options.typecheck and has_tsconfig:
            typecheck_proc = start_typecheck(project, options.timeout)
            if typecheck_proc:
                started.append(typecheck_proc)

        report.add(_layout(project, problems))
        report.add(_env_example(project, problems))
        report.working("toolchain", "asking node for its version")
        if evaluation_proc is not None:
            report.working("schema", f"evaluating {project.schema_file} in Node")
            evaluation = read_evaluation(evaluation_proc.finish(), options.timeout, project)
        tool_check, node_works = _toolchain(project, evaluation, options.node_version)
        report.add(tool_check)
        if not node_works:
            can_run_node, evaluation = False, None  # their failures are the toolchain's
        for result in schema_checks(project, evaluation, problems):
            report.add(result)
        if typecheck_proc is not None:
            report.working("types", f"{typecheck_command(project)} is running")
        types = read_typecheck(typecheck_proc.finish()) if typecheck_proc and node_works else None
        report.add(_types(project, types, options, problems, can_run_node))
    finally:
        for proc in started:
            proc.kill()

    if evaluation_proc is not None and evaluation is not None and evaluation.export is not None:
        store_export(project, evaluation)  # lets ping and dev reuse it without starting Node
    report.seconds = time.monotonic() - began
    return report


def _layout(project: Project, problems: dict[str, str]) -> CheckResult:
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


def _toolchain(
    project: Project, evaluation: Evaluation | None, known_node_version: str | None
) -> tuple[CheckResult, bool]:
    """The toolchain check, and whether node itself works."""
    node, convex = project.node, project.convex
    node_version = (evaluation.node_version if evaluation else None) or known_node_version
    if node is not None and node_version is None:
        node_version = toolchain.probe_node_version(node)
    problem = toolchain.toolchain_problem(project, node_version)
    node_works = node is not None and node_version is not None
    if problem is not None:
        result = CheckResult.failure(
            "toolchain",
            "toolchain/missing",
            problem.message,
            problem.hint or SETUP_HINT,
            exit_code=ExitCode.CONFIG,
        )
        return result, node_works
    return CheckResult(
        "toolchain", Status.PASSED, f"node {node_version}, convex {convex.version} (pinned)"
    ), True


def _types(
    project: Project,
    types: Typecheck | None,
    options: CheckOptions,
    problems: dict[str, str],
    can_run_node: bool,
) -> CheckResult:
    command = typecheck_command(project)
    if not options.typecheck:
        return CheckResult("types", Status.SKIPPED, f"skipped ({options.why_no_typecheck})")
    if project.tsconfig_file in problems:
        return CheckResult("types", Status.SKIPPED, f"needs {project.tsconfig_file}")
    if not can_run_node:
        return CheckResult("types", Status.SKIPPED, "needs node and node_modules/convex")
    if types is None:
        message = "node_modules/typescript is not installed"
        return CheckResult.failure(
            "types", "toolchain/missing", message, SETUP_HINT, exit_code=ExitCode.CONFIG
        )
    if types.timed_out:
        message = f"tsc did not finish within {options.timeout:g} s and was stopped"
        return CheckResult.failure(
            "types", "types/timeout", message, "Raise --timeout, or skip with --no-typecheck."
        )
    if types.failed_to_run:
        message = f"tsc failed to run: {types.failed_to_run}"
        return CheckResult.failure("types", "types/crash", message, SETUP_HINT, exit_code=ExitCode.CONFIG)
    if types.findings:
        n = len(types.findings)
        return CheckResult(
            "types",
            Status.FAILED,
            f"{command}: {plural(n, 'error')}",
            f"Fix the type errors; `npx {command}` shows them in full.",
            types.findings,
        )
    return CheckResult("types", Status.PASSED, f"{command}: no errors")


def _env_example(project: Project, problems: dict[str, str]) -> CheckResult:
    if ENV_EXAMPLE in problems:
        return CheckResult("env example", Status.SKIPPED, f"needs {ENV_EXAMPLE}")
    try:
        gaps = documented_gaps(project.root / ENV_EXAMPLE)
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult.failure(
            "env example",
            "env/unreadable",
            f"{ENV_EXAMPLE} cannot be read: {error}",
            f"Make {ENV_EXAMPLE} a readable UTF-8 text file.",
        )
    if not gaps:
        return CheckResult(
            "env example", Status.PASSED, f"{ENV_EXAMPLE} documents every variable the app reads"
        )
    findings = tuple(
        Finding(
            "env/missing" if gap.missing else "env/undocumented",
            (
                f"{gap.variable.name} is not listed"
                if gap.missing
                else f"{gap.variable.name} has no comment above it saying who sets it"
            )
            + f" (what it is: {gap.variable.purpose}; who sets it: {gap.variable.set_by})",
            file=ENV_EXAMPLE,
            line=gap.line,
        )
        for gap in gaps
    )
    required = any(gap.variable.required for gap in gaps)
    names = ", ".join(gap.variable.name for gap in gaps)
    return CheckResult(
        "env example",
        Status.FAILED if required else Status.WARNING,
        f"{ENV_EXAMPLE} does not document {names}",
        f"Add each as `NAME=` to {ENV_EXAMPLE} with a comment line above it saying what it is "
        "and who sets it.",
        findings,
    )
