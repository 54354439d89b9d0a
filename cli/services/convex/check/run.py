"""`app convex check`: a checklist of named, offline checks of the project's Convex setup.

The two Node steps (schema evaluation and tsc) start first and run concurrently; the
Python-side checks run while they do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from cli.services.convex import toolchain
from cli.services.convex.check.env_example import env_example_result
from cli.services.convex.check.layout import layout_problems, layout_result
from cli.services.convex.check.schema import NAMES as SCHEMA_NAMES
from cli.services.convex.check.schema import schema_checks
from cli.services.convex.check.typecheck import Typecheck, read_typecheck, start_typecheck, typecheck_command
from cli.services.convex.schema.evaluation import Evaluation
from cli.services.convex.schema.local import LocalSchema, local_schema
from cli.services.project import Project
from cli.shared.deadlines import SCHEMA_LOOP_GUARD, TYPECHECK_DEADLINE
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.report import Checklist, CheckResult, Progress, Report, Status
from cli.shared.text import plural

NAMES = ("layout", "toolchain", "schema", "push rules", "contract", "models", "types", "env example")


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = SCHEMA_LOOP_GUARD  # schema.ts's evaluation
    typecheck: bool = True
    # Use the export an earlier evaluation of exactly these sources produced, instead of
    # starting Node (dev's preflight; `app convex check` itself always evaluates).
    reuse_evaluation: bool = False
    why_no_typecheck: str = "--no-typecheck"  # said when the type check is skipped
    node_version: str | None = None  # what `node --version` already told the caller (dev)
    typecheck_timeout: float = TYPECHECK_DEADLINE


def run_check(
    project: Project,
    options: CheckOptions,
    progress: Progress | None = None,
    evaluate: Callable[[], Evaluation] | None = None,
) -> Report[None]:
    """Every check, each told to `progress` as soon as its result is known. `evaluate`, when
    given, evaluates the schema (a warm evaluator) instead of a Node started for it."""
    began = time.monotonic()
    checks = Checklist(progress)
    problems = layout_problems(project)
    node = project.node
    can_run_node = node is not None and project.convex.version is not None
    has_schema = project.schema_file not in problems
    has_tsconfig = project.tsconfig_file not in problems

    local: LocalSchema | None = None
    typecheck_proc: Bounded | None = None
    # What is said to be under way is what runs: while the schema evaluates, the toolchain
    # waits for the node version that evaluation brings, so the schema is what is shown.
    evaluating = f"evaluating {project.schema_file} in Node"
    try:
        if can_run_node and node and has_schema and evaluate is not None:
            checks.working("schema", evaluating)
            local = LocalSchema(project, options.timeout, evaluate(), None)
        elif can_run_node and node and has_schema:
            local = local_schema(project, node, options.timeout, reuse=options.reuse_evaluation)
            if local is not None and local.evaluating:
                checks.working("schema", evaluating)
        if can_run_node and node and options.typecheck and has_tsconfig:
            typecheck_proc = start_typecheck(project, options.typecheck_timeout)

        checks.add(layout_result(project, problems))
        checks.add(env_example_result(project, problems))
        evaluation = local.result() if local is not None else None
        tool_check, node_works = _toolchain(project, evaluation, options.node_version, checks)
        checks.add(tool_check)
        if not node_works:
            can_run_node, evaluation = False, None  # their failures are the toolchain's
        if _package_json_broke(tool_check, evaluation):
            checks.skip(SCHEMA_NAMES, "needs a package.json that parses")  # said once, by toolchain
        else:
            for result in schema_checks(project, evaluation, problems, options.timeout):
                checks.add(result)
        if typecheck_proc is not None:
            checks.working("types", f"{typecheck_command(project)} is running")
        types = read_typecheck(typecheck_proc.finish()) if typecheck_proc and node_works else None
        checks.add(_types(project, types, options, problems, can_run_node))
    finally:
        if local is not None:
            local.kill()
        if typecheck_proc is not None:
            typecheck_proc.kill()
    return checks.report(str(project.root), time.monotonic() - began, None)


def _package_json_broke(tool_check: CheckResult, evaluation: Evaluation | None) -> bool:
    """The evaluation failed on the package.json the toolchain check already found broken
    (esbuild reads it for the module type): one cause, said by the toolchain."""
    codes = {f.code for f in tool_check.findings}
    finding = evaluation.finding if evaluation is not None else None
    return (
        "toolchain/package-json-invalid" in codes
        and finding is not None
        and finding.file == toolchain.PACKAGE_JSON
    )


def _toolchain(
    project: Project, evaluation: Evaluation | None, known_node_version: str | None, checks: Checklist
) -> tuple[CheckResult, bool]:
    """The toolchain check, and whether node itself works."""
    node, convex = project.node, project.convex
    node_version = (evaluation.node_version if evaluation else None) or known_node_version
    if evaluation is not None and evaluation.kind == "no-answer":
        # node never started the evaluation: asking it its version would only wait again
        result = CheckResult.failure(
            "toolchain",
            "toolchain/no-answer",
            f"{node} does not answer as Node.js does: {evaluation.message}",
            evaluation.hint or toolchain.SETUP_HINT,
            exit_code=ExitCode.CONFIG,
        )
        return result, False
    if node is not None and node_version is None:
        checks.working("toolchain", "asking node for its version")
        node_version = toolchain.probe_node_version(node)
    problem = toolchain.toolchain_problem(project, node_version)
    node_works = node is not None and node_version is not None
    if problem is not None:
        result = CheckResult(
            "toolchain",
            Status.FAILED,
            problem.message,
            problem.hint or toolchain.SETUP_HINT,
            (problem.finding(),),
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
            "types", "toolchain/missing", message, toolchain.SETUP_HINT, exit_code=ExitCode.CONFIG
        )
    if types.timed_out:
        message = f"tsc did not finish within {options.typecheck_timeout:g} s and was stopped"
        return CheckResult.failure(
            "types", "types/timeout", message, "Raise --typecheck-timeout, or skip with --no-typecheck."
        )
    if types.failed_to_run:
        message = f"tsc failed to run: {types.failed_to_run}"
        return CheckResult.failure(
            "types", "types/crash", message, toolchain.SETUP_HINT, exit_code=ExitCode.CONFIG
        )
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
