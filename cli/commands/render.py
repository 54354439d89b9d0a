"""How command results look to a person; JSON output is the results' own to_json()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from cli.shared.errors import AppError
from cli.shared.output import Hanging, Line, Piece, Printable, error_lines, print_lines
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


def header_line(title: str, subject: str, subtitle: str = "") -> Printable:
    return Hanging([(title, "bold"), " · "], [shorten(subject, 160), (subtitle, "dim")])


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
                lines.append(Hanging(["      ", (finding.code, "cyan")], [where]))
                continue
            # A message that starts with its own place (".env.example is missing") says it once.
            named = finding.location and not finding.message.startswith(f"{finding.location} ")
            where = f"{finding.location}: " if named else ""
            lines.append(Hanging(["      ", (finding.code, "cyan"), "  "], [where, finding.message]))
        if check.hint:
            lines.append(Hanging(["      ", ("→ ", style)], [check.hint]))
    return lines


def note_lines(notes: list[tuple[str, str]], width: int) -> list[Printable]:
    """What the report adds besides its checks, e.g. the deployment's dashboard."""
    return [Hanging(["    ", (label.ljust(width), "dim"), "  "], [text]) for label, text in notes]


@runtime_checkable
class ModelsOutcome(Protocol):
    """What a report that writes model files did to them (codegen's ModelFiles): its last
    line says that rather than how many checks passed."""

    check: bool
    files: tuple[str, ...]
    wrote: tuple[str, ...]
    stale: tuple[str, ...]


def _counts(report: Report[Any], *statuses: Status) -> str:
    """' (2 failed, 1 skipped)' for the statuses that occur, or ''."""
    labels = {
        Status.FAILED: ("failed", "failed"),
        Status.WARNING: ("warning", None),
        Status.SKIPPED: ("skipped", "skipped"),
    }
    counts = [plural(report.count(s), *labels[s]) for s in statuses if report.count(s)]
    return f" ({', '.join(counts)})" if counts else ""


def summary_line(report: Report[Any]) -> Line:
    if isinstance(report.details, ModelsOutcome):
        return _models_line(report, report.details)
    tail = _counts(report, Status.FAILED, Status.WARNING, Status.SKIPPED)
    style = "green" if report.exit_code == 0 else "bold red"
    passed = f"{report.count(Status.PASSED)}/{len(report.checks)} checks passed"
    return [(passed, style), tail, f" in {report.seconds:.2f} s"]


def _models_line(report: Report[Any], models: ModelsOutcome) -> Line:
    """Codegen's last line: the files it wrote, or that they are current, or stale (--check)."""
    took = f" in {report.seconds:.2f} s"
    if report.exit_code == 0:
        said = f"wrote {_names(models.wrote)}" if models.wrote else "models current"
        counts = [] if models.wrote else [plural(len(models.files), "file")]
        if report.count(Status.WARNING):
            counts.append(plural(report.count(Status.WARNING), "warning"))
        return [(said, "green"), f" ({', '.join(counts)})" if counts else "", took]
    if models.check and models.stale:
        return [(f"--check found {_names(models.stale)} stale", "bold red"), took]
    said = f"wrote only {_names(models.wrote)}" if models.wrote else "wrote nothing"
    return [(said, "bold red"), _counts(report, Status.FAILED, Status.SKIPPED), took]


def _names(paths: tuple[str, ...]) -> str:
    return ", ".join(path.rsplit("/", 1)[-1] for path in paths)


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
    lines: list[Printable] = [Hanging([("Convex dev", "bold"), " · "], [str(prep.root)])]
    if prep.check is not None:
        check = prep.check
        warned = [c for c in check.checks if c.status is Status.WARNING]
        also = f", {plural(len(warned), 'warning')}" if warned else ""
        passed = f" {check.count(Status.PASSED)} checks passed{also}"
        lines.append(Hanging(["  check    "], [("✔", "green"), passed]))
        width = max((len(c.name) for c in warned), default=0)
        for warning in warned:  # what `app convex check` would show of them
            lines += check_lines(warning, width)
    if prep.first.wrote:
        lines.append(Hanging(["  models   "], [_models_said(prep.first)]))
    lines += [
        Hanging(["  target   "], [prep.target.description]),
        Hanging(["  running  "], [(" ".join(_short(arg, prep) for arg in prep.argv), "dim")]),
    ]
    lines += [Hanging([("warning: ", "bold yellow")], [warning]) for warning in prep.target.warnings]
    print_lines(lines, stderr=True)


def _models_said(done: Round) -> str:
    return f"wrote {_names(tuple(done.wrote))}" + (f" ({done.what})" if done.what else "")


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
        said = f"the change could not be followed: {type(done).__name__}: {done}"
        return [Hanging([PREFIX, ("✘ ", "bold red")], [said])]
    lines: list[Printable] = []
    if done.broken is not None:
        lines.append(Hanging([PREFIX, ("✘ ", "bold red")], [done.broken.message]))
        return lines
    for finding in done.findings:
        symbol = ("✘ ", "bold red") if finding.severity is Severity.ERROR else ("! ", "yellow")
        where = f"{finding.location}: " if finding.location else ""
        lines.append(Hanging([PREFIX, symbol], [where, (finding.code, "cyan"), " ", finding.message]))
    if done.refused:
        refused = "the backend will refuse this push: change what the findings above name (models unchanged)"
        lines.append(Hanging([PREFIX], [refused]))
    elif earlier is not None and (earlier.refused or earlier.broken is not None):
        lines.append(Hanging([PREFIX, ("✔ ", "green")], ["nothing the backend would refuse now"]))
    if done.models_problem:
        lines.append(Hanging([PREFIX, ("✘ ", "bold red"), "models: "], [done.models_problem]))
    elif done.wrote:
        lines.append(Hanging([PREFIX, "models: "], [_models_said(done)]))
    return lines


def _short(arg: str, prep: Preparation) -> str:
    prefix = f"{prep.root}/"
    return arg[len(prefix) :] if arg.startswith(prefix) else arg


def render_dev_result(result: DevResult) -> None:
    lines: list[Printable] = []
    if result.url_change is not None:
        before, after = result.url_change
        was = f" (was {before})" if before else ""
        lines.append(Hanging([("CONVEX_URL", "bold"), " "], [f"in .env.local is now {after}{was}"]))
    lines += [Hanging([("warning: ", "bold yellow")], [warning]) for warning in result.warnings]
    if result.failure is not None:
        lines += error_lines(*result.failure)
    if lines:
        print_lines(lines, stderr=True)


def since_lines(since: Since) -> list[Printable]:
    """What changed since the last run of `check --watch`: check statuses, the schema's
    outline, findings that are new (+) and fixed (-)."""
    if since.nothing:
        return [Hanging([("since the last run: ", "bold")], ["nothing changed"])]
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
