"""`app convex codegen`: the typed models in cli/services/convex/models/, from the schema
(documents.py) and the public functions' validators (functions.py), offline."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from cli.services.convex.push import check_push_rules, push_rules_result
from cli.services.convex.schema.cache import remember_models
from cli.services.convex.schema.local import local_schema
from cli.services.convex.toolchain import require_toolchain
from cli.services.convex.typegen.analysis import function_modules, read_analysis, start_analysis
from cli.services.convex.typegen.files import MODELS_DIR, models_files, replace_file, stale_files
from cli.services.convex.typegen.formatter import FormatError
from cli.services.project import Project
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.report import Checklist, CheckResult, Finding, Progress, Report, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject

NAMES = ("schema", "push rules", "functions", "models")
HINT = "Run `app convex codegen` to write them again, and commit them."


@dataclass(frozen=True)
class CodegenOptions:
    check: bool = False  # only say whether the files are current; write nothing
    timeout: float = 30.0


def run_codegen(project: Project, options: CodegenOptions, progress: Progress | None = None) -> Report[None]:
    began = time.monotonic()
    checks = Checklist(progress)
    tools = require_toolchain(project)
    modules = function_modules(project)
    local = local_schema(project, tools.node, options.timeout)
    assert local is not None  # node is there
    analysis: Bounded | None = None
    try:
        analysis = start_analysis(project, tools.node, options.timeout, modules) if modules else None
        if local.evaluating:
            checks.working("schema", f"evaluating {project.schema_file} in Node")
        evaluation = local.result()
        checks.working("functions", "reading the public functions' validators in Node")
        functions, problem = read_analysis(project, analysis, modules)
    finally:
        local.kill()
        if analysis is not None:
            analysis.kill()
    if evaluation.export is None:
        hint = evaluation.hint or (
            f"Fix {project.schema_file}, then run codegen again (`app convex check` shows every finding)."
        )
        findings = (evaluation.finding,) if evaluation.finding else ()
        checks.add(CheckResult("schema", Status.FAILED, evaluation.message, hint, findings))
        checks.skip(NAMES[1:], "needs a schema that evaluates")
    else:
        tables = len(evaluation.export.get("tables", []))
        checks.add(CheckResult("schema", Status.PASSED, f"{project.schema_file}: {plural(tables, 'table')}"))
        # Models of a schema the backend refuses would describe tables that cannot exist (and
        # names Python cannot hold): write nothing.
        rules = push_rules_result(
            project.schema_file, check_push_rules(evaluation.export, size=evaluation.size)
        )
        checks.add(rules)
        if rules.status is Status.FAILED:
            checks.skip(NAMES[2:], "needs a schema the backend accepts")
        elif problem is not None:
            checks.add(
                CheckResult.failure(
                    "functions", "codegen/functions", problem, "Fix the module, then run it again."
                )
            )
            checks.skip(NAMES[3:], "needs the functions' validators")
        else:
            checks.add(
                CheckResult("functions", Status.PASSED, f"{plural(len(functions), 'public function')}")
            )
            checks.add(_models(project, evaluation.export, functions, options))
    return checks.report(str(project.root), time.monotonic() - began, None)


def _models(
    project: Project, export: JsonObject, functions: list[JsonObject], options: CodegenOptions
) -> CheckResult:
    try:
        files = models_files(
            project.root, project.functions, project.schema_file, export, functions, options.timeout
        )
    except FormatError as error:
        return CheckResult.failure(
            "models", "models/format", str(error), error.hint, exit_code=error.exit_code
        )
    result = _write(project.root, files, options)
    if result.status is Status.PASSED:
        remember_models(project, files)  # dev's next start and the check need not make them again
    return result


def _write(root: Path, files: dict[Path, str], options: CodegenOptions) -> CheckResult:
    stale = stale_files(files)
    names = [path.relative_to(root).as_posix() for path in stale]
    if not stale:
        return CheckResult(
            "models", Status.PASSED, f"{MODELS_DIR}/ is current ({plural(len(files), 'file')})"
        )
    if options.check:
        findings = tuple(
            Finding("models/stale", f"{name} is not what codegen writes today", file=name) for name in names
        )
        message = f"{plural(len(stale), 'stale file')}: {', '.join(names)}"
        return CheckResult("models", Status.FAILED, message, HINT, findings, ExitCode.FAILED)
    for path in stale:
        try:
            replace_file(path, files[path])
        except OSError as error:  # a file where the folder should be, no permission, a full disk
            name = path.relative_to(root).as_posix()
            not_a_folder = os.path.lexists(path.parent) and not path.parent.is_dir()  # a file, a bad link
            reason = f"{MODELS_DIR} is not a folder" if not_a_folder else error.strerror or str(error)
            return CheckResult.failure(
                "models",
                "models/unwritable",
                f"{name} could not be written: {reason}",
                f"Make {MODELS_DIR}/ a folder you can write to, then run `app convex codegen` again.",
            )
    return CheckResult("models", Status.PASSED, f"wrote {', '.join(names)}")
