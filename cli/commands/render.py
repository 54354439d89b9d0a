"""How command results look to a person; JSON output is the results' own to_json()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cli.shared.errors import AppError
from cli.shared.output import Hanging, Line, Piece, Printable, print_lines
from cli.shared.report import CheckResult, Finding, Report, Severity, Status
from cli.shared.text import plural, shorten

if TYPE_CHECKING:
    from cli.commands.view import View
    from cli.services.convex.check.watch import Since
    from cli.services.convex.dev.live import Round
    from cli.services.convex.dev.run import DevResult, Preparation

SYMBOLS = {
    "passed": ("✔", "green"),
    "failed": ("✘", "bold red"),
    "warning": ("!", "yellow"),
    "skipped": ("-", "dim"),
}


def header_line(title: str, subject: str, subtitle: str = "") -> Line:
    return [(title, "bold"), f" · {shorten(subject, 160)}", (subtitle, "dim")]


def _says_the_same(check: CheckResult, finding: Finding) -> bool:
    """A finding that only repeats its check's message (one cause, said once)."""
    return len(check.findings) == 1 and finding.message in check.message


def check_lines(check: CheckResult, width: int) -> list[Printable]:
    """A check's line, then for a failure or warning its findings and what to do."""
    symbol, style = SYMBOLS[check.status.value]
    lines: list[Printable] = [
        Hanging(["  ", (symbol, style), " ", (check.name.ljust(width), "bold"), "  "], [check.message])
    ]
    if check.status in (Status.FAILED, Status.WARNING):
        for finding in check.findings:
            if _says_the_same(check, finding):
                where = (
                    f"  {finding.location}"
                    if finding.location and finding.location not in check.message
                    else ""
                )
                lines.append(["      ", (finding.code, "cyan"), where])
                continue
            where = f"{finding.location}: " if finding.location else ""
            lines.append(Hanging(["      ", (finding.code, "cyan"), "  "], [where, finding.message]))
        if check.hint:
            lines.append(Hanging(["      ", ("→ ", style)], [check.hint]))
    return lines


def note_lines(notes: list[tuple[str, str]], width: int) -> list[Printable]:
    """What the report adds besides its checks, e.g. the deployment's dashboard."""
    return [Hanging(["    ", (label.ljust(width), "dim"), "  "], [text]) for label, text in notes]


def summary_line(report: Report[Any]) -> Line:
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
    return [(passed, style), tail, f" in {report.seconds:.2f} s"]


def render_report(report: Report[Any], view: View) -> None:
    """The whole report at once (when there was nothing to show while it ran)."""
    from cli.commands.view import in_order

    lines: list[Printable] = [header_line(view.title, report.subject, view.subtitle)]
    width = max((len(check.name) for check in report.checks), default=0)
    for check in in_order(report.checks, view.order):
        lines += check_lines(check, width)
    lines += note_lines(view.notes(report), width)
    lines.append(summary_line(report))
    print_lines(lines)


def render_dev_start(prep: Preparation) -> None:
    lines: list[Printable] = [[("Convex dev", "bold"), f" · {prep.root}"]]
    if prep.check is not None:
        check = prep.check
        warned = [c for c in check.checks if c.status is Status.WARNING]
        also = f", {plural(len(warned), 'warning')}" if warned else ""
        lines.append(["  check    ", ("✔", "green"), f" {check.count(Status.PASSED)} checks passed{also}"])
        width = max((len(c.name) for c in warned), default=0)
        for warning in warned:  # what `app convex check` would show of them
            lines += check_lines(warning, width)
    if prep.first.wrote:
        lines.append(["  models   ", _models_said(prep.first)])
    lines += [
        ["  target   ", prep.target.description],
        ["  running  ", (" ".join(_short(arg, prep) for arg in prep.argv), "dim")],
    ]
    lines += [[("warning: ", "bold yellow"), warning] for warning in prep.target.warnings]
    print_lines(lines, stderr=True)


def _models_said(done: Round) -> str:
    files = ", ".join(name.rsplit("/", 1)[-1] for name in done.wrote)
    return f"wrote {files}" + (f" ({done.what})" if done.what else "")


PREFIX: Piece = ("app · ", "bold cyan")


def round_lines(done: Round | BaseException, earlier: Round | None) -> list[Printable]:
    """What `app convex dev` says of a round while convex dev runs: findings with their
    place, whether the push will be refused, and the models it wrote (nothing when there is
    nothing new to say)."""
    if isinstance(done, AppError):  # the watching itself cannot go on (e.g. a system limit)
        return [
            Hanging([PREFIX, ("✘ ", "bold red")], [f"{done.message}; saves are not followed"]),
            Hanging([PREFIX, ("hint: ", "bold")], [done.hint or ""]),
        ]
    if isinstance(done, BaseException):
        return [
            [PREFIX, ("✘ ", "bold red"), f"the change could not be followed: {type(done).__name__}: {done}"]
        ]
    lines: list[Printable] = []
    if done.broken is not None:
        lines.append(Hanging([PREFIX, ("✘ ", "bold red")], [done.broken.message]))
        return lines
    for finding in done.findings:
        symbol = ("✘ ", "bold red") if finding.severity is Severity.ERROR else ("! ", "yellow")
        where = f"{finding.location}: " if finding.location else ""
        lines.append(Hanging([PREFIX, symbol], [where, (finding.code, "cyan"), " ", finding.message]))
    if done.refused:
        lines.append(
            [
                PREFIX,
                "the backend will refuse this push: change what the findings above name (models unchanged)",
            ]
        )
    elif earlier is not None and (earlier.refused or earlier.broken is not None):
        lines.append([PREFIX, ("✔ ", "green"), "nothing the backend would refuse now"])
    if done.models_problem:
        lines.append(Hanging([PREFIX, ("✘ ", "bold red"), "models: "], [done.models_problem]))
    elif done.wrote:
        lines.append([PREFIX, "models: ", _models_said(done)])
    return lines


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


def since_lines(since: Since) -> list[Printable]:
    """What changed since the last run of `check --watch`: check statuses, the schema's
    outline, findings that are new (+) and fixed (-)."""
    if since.nothing:
        return [[("since the last run: ", "bold"), "nothing changed"]]
    parts = [f"{name} {was} → {now}" for name, was, now in since.statuses]
    if since.schema:
        parts.append(f"schema: {since.schema}")
    lines: list[Printable] = [
        Hanging([("since the last run: ", "bold")], ["; ".join(parts) or "findings changed"])
    ]
    for sign, style, findings in (("+", "bold red", since.new), ("-", "green", since.gone)):
        for finding in findings:
            where = f"{finding.location}: " if finding.location else ""
            lines.append(
                Hanging(["  ", (sign, style), " ", (finding.code, "cyan"), "  "], [where, finding.message])
            )
    return lines
