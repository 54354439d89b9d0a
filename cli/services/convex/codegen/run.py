"""`app convex codegen`: the typed models in cli/services/convex/models/, from the schema
(documents.py) and the public functions' validators (functions.py), offline."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.services.convex.push import check_push_rules, push_rules_result
from cli.services.convex.schema.cache import remember_models
from cli.services.convex.schema.local import local_schema
from cli.services.convex.toolchain import require_toolchain
from cli.services.convex.typegen.analysis import function_modules, read_analysis, start_analysis
from cli.services.convex.typegen.files import (
    MODELS_DIR,
    models_files,
    replace_file,
    rewrite_hint,
    stale_files,
)
from cli.services.convex.typegen.formatter import FormatError
from cli.services.project import Project
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.report import Checklist, CheckResult, Finding, Progress, Report, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject

NAMES = ("schema", "push rules", "functions", "models")


@dataclass(frozen=True)
class CodegenOptions:
    check: bool = False  # only say whether the files are current; write nothing
    timeout: float = 30.0


@dataclass(frozen=True)
class ModelFiles:
    """What codegen did to the model files (paths relative to the project), for its last line."""

    check: bool  # --check: nothing is written
    files: tuple[str, ...] = ()  # the files it makes; none when it did not get that far
    wrote: tuple[str, ...] = ()  # those this run wrote
    stale: tuple[str, ...] = ()  # those not what codegen writes today (with --check)

    def to_json(self) -> dict[str, Any]:
        return {}  # the models check says the same in JSON (message, models/stale findings)


def run_codegen(
    project: Project, options: CodegenOptions, progress: Progress | None = None
) -> Report[ModelFiles]:
    began = time.monotonic()
    checks = Checklist(progress)
    tools = require_toolchain(project)
    modules = function_modules(project)
    local = local_schema(project, tools.node, options.timeout)
    assert local is not None  # node is there
    outcome = ModelFiles(options.check)
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
            result, outcome = _models(project, evaluation.export, functions, options)
            checks.add(result)
    return checks.report(str(project.root), time.monotonic() - began, outcome)


def _models(
    project: Project, export: JsonObject, functions: list[JsonObject], options: CodegenOptions
) -> tuple[CheckResult, ModelFiles]:
    try:
        files = models_files(
            project.root, project.functions, project.schema_file, export, functions, options.timeout
        )
    except FormatError as error:
        failure = CheckResult.failure(
            "models", "models/format", str(error), error.hint, exit_code=error.exit_code
        )
        return failure, ModelFiles(options.check)
    result, outcome = _write(project.root, files, options)
    if result.status is Status.PASSED:
        remember_models(project, files)  # dev's next start and the check need not make them again
    return result, outcome


def _write(root: Path, files: dict[Path, str], options: CodegenOptions) -> tuple[CheckResult, ModelFiles]:
    every = tuple(path.relative_to(root).as_posix() for path in files)
    stale = stale_files(files)
    names = [path.relative_to(root).as_posix() for path in stale]
    if not stale:
        current = f"{MODELS_DIR}/ is current ({plural(len(files), 'file')})"
        return CheckResult("models", Status.PASSED, current), ModelFiles(options.check, every)
    if options.check:
        findings = tuple(
            Finding("models/stale", f"{name} is not what codegen writes today", file=name) for name in names
        )
        message = f"{plural(len(stale), 'stale file')}: {', '.join(names)}"
        failed = CheckResult(
            "models", Status.FAILED, message, rewrite_hint(len(stale)), findings, ExitCode.FAILED
        )
        return failed, ModelFiles(options.check, every, stale=tuple(names))
    wrote: list[str] = []
    for path, name in zip(stale, names, strict=True):
        try:
            replace_file(path, files[path])
        except OSError as error:  # a file where the folder should be, no permission, a full disk
            not_a_folder = os.path.lexists(path.parent) and not path.parent.is_dir()  # a file, a bad link
            reason = f"{MODELS_DIR} is not a folder" if not_a_folder else error.strerror or str(error)
            failure = CheckResult.failure(
                "models",
                "models/unwritable",
                f"{name} could not be written: {reason}",
                f"Make {MODELS_DIR}/ a folder you can write to, then run `app convex codegen` again.",
            )
            return failure, ModelFiles(options.check, every, tuple(wrote))
        wrote.append(name)
    return CheckResult("models", Status.PASSED, f"wrote {', '.join(names)}"), ModelFiles(
        options.check, every, tuple(wrote)
    )
