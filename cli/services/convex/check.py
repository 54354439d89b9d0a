"""`app convex check`: a checklist of named, offline checks of the project's Convex setup.

The two Node steps (schema evaluation and tsc) start first and run concurrently; the
Python-side checks run while they do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from cli.services.config.env_example import ENV_EXAMPLE, documented_gaps
from cli.services.convex import node as toolchain
from cli.services.convex.contract import check_contract, contract_size
from cli.services.convex.node import SETUP_HINT
from cli.services.convex.push_rules import check_push_rules
from cli.services.convex.report import CheckReport, CheckResult, Finding, Status
from cli.services.convex.schema import (
    SCHEMA_FILE,
    Evaluation,
    Typecheck,
    cached_export,
    read_evaluation,
    read_typecheck,
    start_evaluation,
    start_typecheck,
    store_export,
)
from cli.services.convex.schema_model import SchemaModel
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.text import plural

LAYOUT = ("convex", SCHEMA_FILE, "convex/tsconfig.json", ENV_EXAMPLE)


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 15.0
    typecheck: bool = True
    # Use the export an earlier evaluation of exactly these sources produced, instead of
    # starting Node (dev's preflight; `app convex check` itself always evaluates).
    reuse_evaluation: bool = False


def run_check(root: Path, options: CheckOptions) -> CheckReport:
    began = time.monotonic()
    missing = [name for name in LAYOUT if not (root / name).exists()]
    node = toolchain.find_node()
    convex = toolchain.installed_package(root, "convex")
    can_run_node = node is not None and convex.version is not None

    evaluation_proc: Bounded | None = None
    typecheck_proc: Bounded | None = None
    started: list[Bounded] = []
    reuse = options.reuse_evaluation and can_run_node and SCHEMA_FILE not in missing
    cached = cached_export(root) if reuse else None
    evaluation: Evaluation | None = Evaluation(cached, None) if cached is not None else None
    try:
        if can_run_node and node and SCHEMA_FILE not in missing and evaluation is None:
            evaluation_proc = start_evaluation(root, node, options.timeout)
            started.append(evaluation_proc)
        if can_run_node and node and options.typecheck and "convex/tsconfig.json" not in missing:
            typecheck_proc = start_typecheck(root, node, options.timeout)
            if typecheck_proc:
                started.append(typecheck_proc)

        layout = _layout(missing)
        env_check = _env_example(root, missing)
        if evaluation_proc is not None:
            evaluation = read_evaluation(evaluation_proc.finish(), options.timeout)
        tool_check = _toolchain(root, node, convex, evaluation)
        types = read_typecheck(typecheck_proc.finish()) if typecheck_proc else None
    finally:
        for proc in started:
            proc.kill()

    if evaluation_proc is not None and evaluation is not None and evaluation.export is not None:
        store_export(root, evaluation)  # lets ping and dev reuse it without starting Node
    schema_checks = _schema_checks(evaluation, missing)
    type_check = _types(types, options, missing, can_run_node)
    checks = [layout, tool_check, *schema_checks, type_check, env_check]
    return CheckReport(str(root), checks, time.monotonic() - began)


def _layout(missing: list[str]) -> CheckResult:
    if not missing:
        return CheckResult("layout", Status.PASSED, ", ".join(LAYOUT[1:]) + " present")
    return CheckResult(
        "layout",
        Status.FAILED,
        "missing: " + ", ".join(missing),
        "Restore them from version control, or create them as described in README.md "
        "(`npx convex dev` writes convex/tsconfig.json).",
        tuple(Finding("layout/missing", f"{name} is missing", file=name) for name in missing),
    )


def _toolchain(
    root: Path, node: str | None, convex: toolchain.InstalledPackage, evaluation: Evaluation | None
) -> CheckResult:
    node_version = evaluation.node_version if evaluation else None
    problem = toolchain.toolchain_problem(root, node, convex, node_version)
    if problem is not None:
        hint = problem.hint or SETUP_HINT
        return CheckResult.failure(
            "toolchain", "toolchain/missing", problem.message, hint, exit_code=ExitCode.CONFIG
        )
    node_text = f"node {node_version}" if node_version else f"node at {node}"
    return CheckResult("toolchain", Status.PASSED, f"{node_text}, convex {convex.version} (pinned)")


def _schema_checks(evaluation: Evaluation | None, missing: list[str]) -> list[CheckResult]:
    names = ("schema", "push rules", "contract")
    if evaluation is None:
        why = f"needs {SCHEMA_FILE}" if SCHEMA_FILE in missing else "needs node and node_modules/convex"
        return [CheckResult(name, Status.SKIPPED, why) for name in names]
    if not evaluation.ok or evaluation.export is None:
        hint = {
            "timeout": f"Look for a loop or a blocking call at the top level of {SCHEMA_FILE}.",
            "no_default_export": "End convex/schema.ts with `export default defineSchema({...})`.",
            "not_schema": "End convex/schema.ts with `export default defineSchema({...})`.",
        }.get(evaluation.kind or "", f"Fix {SCHEMA_FILE} so that it evaluates, then run the check again.")
        findings = (evaluation.finding,) if evaluation.finding else ()
        first = CheckResult("schema", Status.FAILED, evaluation.message, hint, findings)
        return [
            first,
            *(CheckResult(name, Status.SKIPPED, "needs a schema that evaluates") for name in names[1:]),
        ]

    export = evaluation.export
    tables = export.get("tables", [])
    index_count = sum(len(t.get("indexes") or []) for t in tables)
    results = [
        CheckResult(
            "schema", Status.PASSED, f"{SCHEMA_FILE} evaluates: {len(tables)} tables, {index_count} indexes"
        )
    ]

    violations = check_push_rules(export)
    if violations:
        results.append(
            CheckResult(
                "push rules",
                Status.FAILED,
                f"{plural(len(violations), 'violation')} the backend would reject at push",
                f"Change what each finding names in {SCHEMA_FILE}; `npx convex dev` would fail to push it.",
                tuple(violations),
            )
        )
    else:
        results.append(CheckResult("push rules", Status.PASSED, "nothing the backend would reject at push"))

    differences = check_contract(SchemaModel.from_export(export))
    if differences:
        results.append(
            CheckResult(
                "contract",
                Status.FAILED,
                f"{plural(len(differences), 'difference')} from what the app relies on",
                f"Restore them in {SCHEMA_FILE}, or update cli/services/convex/contract.py if the app "
                "no longer relies on them.",
                tuple(differences),
            )
        )
    else:
        t, f, i = contract_size()
        results.append(
            CheckResult(
                "contract", Status.PASSED, f"all {t} tables, {f} fields and {i} indexes the app relies on"
            )
        )
    return results


def _types(
    types: Typecheck | None, options: CheckOptions, missing: list[str], can_run_node: bool
) -> CheckResult:
    if not options.typecheck:
        return CheckResult("types", Status.SKIPPED, "skipped (--no-typecheck)")
    if "convex/tsconfig.json" in missing:
        return CheckResult("types", Status.SKIPPED, "needs convex/tsconfig.json")
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
            f"tsc --noEmit -p convex: {plural(n, 'error')}",
            "Fix the type errors; `npx tsc --noEmit -p convex` shows them in full.",
            types.findings,
        )
    return CheckResult("types", Status.PASSED, "tsc --noEmit -p convex: no errors")


def _env_example(root: Path, missing: list[str]) -> CheckResult:
    if ENV_EXAMPLE in missing:
        return CheckResult("env example", Status.SKIPPED, f"needs {ENV_EXAMPLE}")
    try:
        gaps = documented_gaps(root / ENV_EXAMPLE)
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
            f"{gap.variable.name} is not listed"
            if gap.missing
            else f"{gap.variable.name} has no comment above it saying who sets it",
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
