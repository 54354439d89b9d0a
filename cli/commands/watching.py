"""`app convex check --watch`: the checklist on each settled change, and what changed."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from cli.commands.render import since_lines
from cli.shared.output import print_lines

if TYPE_CHECKING:
    from cli.commands.view import View
    from cli.services.convex.check.run import CheckOptions
    from cli.services.project import Project
    from cli.shared.report import Report


def watch_check(project: Project, view: View, options: CheckOptions) -> int:
    """Run until interrupted (the runner makes Ctrl-C exit 130, with no Node left)."""
    from cli.commands.progress import LiveReport
    from cli.services.convex.check.watch import CheckWatch, since

    session = CheckWatch(project, options)

    def checklist() -> Report[None]:
        with LiveReport(view) as live:
            report = session.run(live)
        live.finish(report)
        return report

    try:
        report = checklist()
        print_lines([[("watching ", "dim"), f"{project.functions}/ for changes (Ctrl-C ends)"]])
        while (changed := session.changes()) is not None:
            earlier, earlier_outline = report, session.outline
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            print_lines([[""], [(f"── {time.strftime('%H:%M:%S')} · {shown} changed", "dim")]])
            report = checklist()
            print_lines(since_lines(since(earlier, report, earlier_outline, session.outline)))
    finally:
        session.close()
    return report.exit_code
