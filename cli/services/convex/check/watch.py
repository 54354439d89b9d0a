"""`app convex check --watch`: the checklist again on each settled change in the functions
folder, the schema evaluated by a warm evaluator, and what changed since the last run."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cli.services.convex.check.run import CheckOptions, run_check
from cli.services.convex.schema.evaluation import Evaluation
from cli.services.convex.schema.outline import Outline, describe, from_export
from cli.services.convex.schema.sources import not_pushed, outside_files, shown_paths
from cli.services.convex.schema.warm import WarmNode
from cli.services.project import Project
from cli.shared.report import Finding, Progress, Report
from cli.shared.watch import Watcher

WHY_NO_TYPECHECK = "--watch; `app convex check` runs tsc"


@dataclass(frozen=True)
class Since:
    """What changed between two runs."""

    statuses: list[tuple[str, str, str]]  # (check, was, now)
    gone: list[Finding]  # findings the earlier run had and this one has not
    new: list[Finding]
    schema: str  # tables, fields and indexes, e.g. "fields +users.nickname"

    @property
    def nothing(self) -> bool:
        return not (self.statuses or self.gone or self.new or self.schema)


def _key(finding: Finding) -> tuple[object, ...]:
    """A finding, wherever its line moved to."""
    return (finding.code, finding.table, finding.index, finding.field, finding.message)


def since(old: Report[None], new: Report[None], old_outline: Outline, new_outline: Outline) -> Since:
    was = {c.name: c.status.value for c in old.checks}
    statuses = [
        (c.name, was[c.name], c.status.value)
        for c in new.checks
        if was.get(c.name, c.status.value) != c.status.value
    ]
    before = {_key(f): f for c in old.checks for f in c.findings}
    after = {_key(f): f for c in new.checks for f in c.findings}
    gone = [f for k, f in before.items() if k not in after]
    added = [f for k, f in after.items() if k not in before]
    return Since(statuses, gone, added, describe(old_outline, new_outline))


class CheckWatch:
    """The warm evaluator and the watcher that `check --watch` keeps between runs."""

    def __init__(self, project: Project, options: CheckOptions) -> None:
        self.project = project
        self.options = replace(options, typecheck=False, why_no_typecheck=WHY_NO_TYPECHECK)
        self.watcher = Watcher([project.functions_dir], skip=not_pushed)  # first: it may be refused
        node = project.node
        self.node = WarmNode(project, node) if node is not None and project.convex.version else None
        if self.node is not None:
            self.node.start()
        self.outline = Outline()

    def run(self, progress: Progress | None = None) -> Report[None]:
        """The checklist once; the schema's outline is kept for `since`."""
        evaluated: list[Evaluation] = []

        def evaluate() -> Evaluation:
            assert self.node is not None
            evaluated.append(self.node.schema(self.options.timeout))
            return evaluated[-1]

        report = run_check(self.project, self.options, progress, evaluate if self.node else None)
        if evaluated and evaluated[-1].export is not None:
            self.outline = from_export(evaluated[-1].export)
            self.watcher.add_files(
                self.project.root / n for n in outside_files(self.project, evaluated[-1].inputs)
            )
        return report

    def changes(self) -> list[str] | None:
        """What changed, relative to the project, once it settles; None once closed."""
        changed = self.watcher.changes()
        if changed is None:
            return None
        return shown_paths(self.project, changed)

    def close(self) -> None:
        self.watcher.close()
        self.watcher.release()
        if self.node is not None:
            self.node.close()
