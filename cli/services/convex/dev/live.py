"""What `app convex dev` does on each settled change while `convex dev` runs: evaluate the
schema in the warm evaluator, find what the backend will refuse (and what the app's contract
misses), and bring the typed models up to date; data only, the command says it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cli.services.convex.check.contract import check_contract
from cli.services.convex.push import check_push_rules
from cli.services.convex.schema.cache import cached_evaluation, models_match, remember_models, store_export
from cli.services.convex.schema.evaluation import Evaluation, placed
from cli.services.convex.schema.model import SchemaModel
from cli.services.convex.schema.outline import describe, from_models
from cli.services.convex.schema.sources import not_pushed, outside_files, shown_paths
from cli.services.convex.schema.warm import WarmNode
from cli.services.convex.typegen.analysis import function_modules
from cli.services.convex.typegen.files import models_files, replace_file, stale_files
from cli.services.convex.typegen.formatter import FormatError
from cli.services.project import Project
from cli.shared.report import Finding, Severity

Doing = Callable[[str], None]  # hears what a round waits for now ("evaluating convex/schema.ts in Node")


def _quiet(doing: str) -> None:
    """No one listens."""


@dataclass
class Round:
    """One pass over the project after a change (or at start, `changed` empty)."""

    changed: list[str]  # what changed, relative to the project
    seconds: float = 0.0
    broken: Evaluation | None = None  # the schema does not evaluate: why
    findings: list[Finding] = field(default_factory=list)  # push rules', then the contract's
    wrote: list[str] = field(default_factory=list)  # model files written
    what: str = ""  # what changed in them (tables, fields, functions)
    models_problem: str | None = None  # why the models could not be brought up to date

    @property
    def refused(self) -> bool:
        """Whether the backend will refuse to push this schema."""
        return any(f.severity is Severity.ERROR and f.code.startswith("push/") for f in self.findings)


class LiveModels:
    """The state kept between rounds: the warm evaluator and what the last round found."""

    def __init__(self, project: Project, node: str, timeout: float) -> None:
        self.project = project
        self.timeout = timeout
        self.node = WarmNode(project, node)  # started when first needed (see warm_up)
        self.last: Round | None = None
        self.outside: set[Path] = set()  # files the schema imports from outside the functions folder

    def warm_up(self) -> None:
        """Start Node now, so that it has esbuild loaded by the first save."""
        self.node.start()

    def first_round(self, doing: Doing | None = None) -> Round:
        """The start's round: from the cache when an earlier run left these sources' schema
        and models current (no Node at all), else a round as any other."""
        began = time.monotonic()
        cached = cached_evaluation(self.project)
        if cached is None or cached.export is None or not models_match(self.project):
            return self.round(doing=doing)
        result = Round([])
        self.outside |= {self.project.root / name for name in outside_files(self.project, cached.inputs)}
        result.findings = self._findings(cached)
        result.seconds = time.monotonic() - began
        self.last = result
        return result

    def round(self, changed: set[Path] | None = None, doing: Doing | None = None) -> Round:
        """A pass over the project; `doing` hears what each step waits for (a live display)."""
        began = time.monotonic()
        tell = doing or _quiet
        result = Round(shown_paths(self.project, changed or set()))
        tell(f"evaluating {self.project.schema_file} in Node")
        self.node.start()
        evaluation = self.node.schema(self.timeout)
        self.outside |= {self.project.root / name for name in outside_files(self.project, evaluation.inputs)}
        if evaluation.export is None:
            result.broken = evaluation
        else:
            store_export(self.project, evaluation)  # the check and codegen start no Node for it
            result.findings = self._findings(evaluation)
            if not result.refused:
                self._models(evaluation.export, result, tell)
        result.seconds = time.monotonic() - began
        self.last = result
        return result

    def _findings(self, evaluation: Evaluation) -> list[Finding]:
        assert evaluation.export is not None
        rules = check_push_rules(evaluation.export, size=evaluation.size)
        contract = check_contract(SchemaModel.from_export(evaluation.export), self.project.schema_file)
        return placed([*rules, *contract], evaluation.locations)

    def _models(self, export: dict[str, object], result: Round, tell: Doing) -> None:
        """Write the model files whose text changed, and say what changed in them."""
        project = self.project
        modules = function_modules(project)
        if modules:
            tell("reading the functions' validators in Node")
        functions, problem = self.node.functions(modules, self.timeout)
        if problem is not None:
            result.models_problem = f"the functions' validators could not be read: {problem}"
            return
        tell("formatting the models with ruff")
        try:
            files = models_files(
                project.root, project.functions, project.schema_file, export, functions, self.timeout
            )
        except FormatError as error:
            result.models_problem = str(error)
            return
        stale = stale_files(files)
        if not stale:
            remember_models(project, files)
            return
        before = from_models(_read(path) for path in files)
        try:
            for path in stale:
                replace_file(path, files[path])
        except OSError as error:
            result.models_problem = f"{path.name} could not be written: {error.strerror or error}"
            return
        remember_models(project, files)
        result.wrote = [path.relative_to(project.root).as_posix() for path in stale]
        result.what = describe(before, from_models(files.values()))

    def close(self) -> None:
        self.node.close()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


class Watching:
    """A round of `live` on each settled change, in a thread, each handed to `on_round`
    (or the exception that ended it to `on_error`); `stop` ends it and the warm evaluator."""

    def __init__(
        self,
        live: LiveModels,
        on_round: Callable[[Round], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        from cli.shared.watch import Watcher

        self.live = live
        self.on_round = on_round
        self.on_error = on_error
        self.watcher = Watcher([live.project.functions_dir], skip=not_pushed)
        self.watcher.add_files(live.outside)
        self._stopping = False
        self.thread = threading.Thread(target=self._run, name="app-watch", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while (changed := self.watcher.changes()) is not None:
            try:
                done = self.live.round(changed)
            except Exception as error:  # one bad round must not end the watching
                if not self._stopping:
                    self.on_error(error)
                continue
            if self._stopping:
                return
            self.watcher.add_files(self.live.outside)
            self.on_round(done)

    def stop(self) -> None:
        """Stop watching; a round under way ends with the warm evaluator."""
        self._stopping = True
        self.watcher.close()
        self.live.close()
        self.thread.join(timeout=10)
        self.watcher.release()
