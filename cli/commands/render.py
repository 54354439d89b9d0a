"""How command results look to a person; JSON output is the results' own to_json()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.services.convex.report import Status
from cli.shared.output import Line, print_lines
from cli.shared.text import plural, shorten

if TYPE_CHECKING:
    from cli.services.convex.dev import DevResult, Preparation
    from cli.services.convex.report import CheckReport

SYMBOLS = {
    "passed": ("✔", "green"),
    "failed": ("✘", "bold red"),
    "warning": ("!", "yellow"),
    "skipped": ("-", "dim"),
}


def render_report(report: CheckReport, title: str, subtitle: str = "") -> None:
    lines: list[Line] = [[(title, "bold"), f" · {shorten(report.subject, 160)}", (subtitle, "dim")]]
    width = max(len(check.name) for check in report.checks)
    for check in report.checks:
        symbol, style = SYMBOLS[check.status.value]
        lines.append(["  ", (symbol, style), " ", (check.name.ljust(width), "bold"), "  ", check.message])
        if check.status in (Status.FAILED, Status.WARNING):
            for finding in check.findings:
                where = f"{finding.location}: " if finding.location else ""
                lines.append(["      ", (finding.code, "cyan"), "  ", where, finding.message])
            if check.hint:
                lines.append(["      ", ("→ ", style), check.hint])
    counts = [
        plural(report.count(status), label, many)
        for status, label, many in (
            (Status.FAILED, "failed", "failed"),
            (Status.WARNING, "warning", None),
            (Status.SKIPPED, "skipped", "skipped"),
        )
        if report.count(status)
    ]
    tail = f" ({', '.join(counts)})" if counts else ""
    style = "green" if report.exit_code == 0 else "bold red"
    passed = f"{report.count(Status.PASSED)}/{len(report.checks)} checks passed"
    lines.append([(passed, style), tail, f" in {report.seconds:.2f} s"])
    print_lines(lines)


def render_dev_start(prep: Preparation) -> None:
    lines: list[Line] = [
        [("Convex dev", "bold"), f" · {prep.root}"],
        ["  target   ", prep.target.description],
        ["  running  ", (" ".join(_short(arg, prep) for arg in prep.argv), "dim")],
    ]
    if prep.check is not None:
        lines.insert(1, ["  check    ", ("✔", "green"), f" {prep.check.count(Status.PASSED)} checks passed"])
    lines += [[("warning: ", "bold yellow"), warning] for warning in prep.target.warnings]
    print_lines(lines, stderr=True)


def _short(arg: str, prep: Preparation) -> str:
    prefix = f"{prep.root}/"
    return arg[len(prefix) :] if arg.startswith(prefix) else arg


def render_dev_result(result: DevResult) -> None:
    lines: list[Line] = []
    if result.url_change is not None:
        before, after = result.url_change
        was = f" (was {before})" if before else ""
        lines.append([("CONVEX_URL", "bold"), f" in .env.local is now {after}{was}"])
    if result.failure is not None:
        what, hint = result.failure
        lines.append([("error: ", "bold red"), what])
        lines.append([("hint: ", "bold"), hint])
    if lines:
        print_lines(lines, stderr=True)
