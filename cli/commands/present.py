"""One way to show a command's report, for people or as JSON: the command says how (its View),
the report is data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.commands.view import View, in_order

if TYPE_CHECKING:
    from cli.services.project import Project
    from cli.shared.report import Progress, Report


def document(view: View, report: Report[Any]) -> dict[str, Any]:
    """The report as the one JSON document a --json run prints (docs/output.schema.json)."""
    from cli.shared.report import Status

    checks = in_order(report.checks, view.order)
    return {
        "command": view.command,
        "ok": report.exit_code == 0,
        "exit_code": report.exit_code,
        view.subject_key: report.subject,
        "duration_ms": round(report.seconds * 1000),
        **(report.details.to_json() if report.details is not None else {}),
        "checks": [c.to_json() for c in checks],
        "summary": {
            "passed": report.count(Status.PASSED),
            "failed": report.count(Status.FAILED),
            "warnings": report.count(Status.WARNING),
            "skipped": report.count(Status.SKIPPED),
            "total": len(checks),
        },
    }


def present(json_output: bool, view: View, make: Callable[[Progress | None], Report[Any]]) -> int:
    """Make a report and show it: as one JSON document at the end, or for people while it is
    made. Its exit code."""
    if json_output:
        from cli.shared.output import emit_json

        report = make(None)
        emit_json(document(view, report))
    else:
        from cli.commands.progress import LiveReport

        with LiveReport(view) as live:
            report = make(live)
        live.finish(report)
    return report.exit_code


def project_view(
    command: str, order: tuple[str, ...], title: str, subtitle: str = ""
) -> tuple[Project, View]:
    """The project the working directory is in, and the view of a report about it."""
    from cli.services.project import require_project

    project = require_project(Path.cwd())
    return project, View(command, order, title, str(project.root), subtitle)
