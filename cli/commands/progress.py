"""A report shown while it is made: the header at once, each check's line as soon as it and
those before it are known.

On a terminal (not TERM=dumb) rich's live display adds a spinner with the seconds elapsed on
the check still running after half a second; it vanishes once the check's line is printed.
In a pipe or a dumb terminal the same lines come as they are known, with no escape codes.
Dev's preflight (Preflight) shows its header and such a spinner while it runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from cli.commands.render import check_lines, header_line, note_lines, summary_line
from cli.shared.errors import OutputError
from cli.shared.output import (
    OUTPUT_HINT,
    Printable,
    is_terminal,
    print_lines,
    renderable,
    silence,
    terminal_console,
)

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.live import Live

    from cli.commands.view import View
    from cli.shared.report import CheckResult, Report

SPINNER_AFTER = 0.5  # seconds a check may take before it gets a spinner


def _live_terminal(stream: TextIO | None) -> bool:
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


class _Running(Protocol):
    width: int  # the names' column

    def running(self) -> tuple[str | None, str, float]:
        """What is under way: its name (None: nothing), what it does, since when."""
        ...


class _Spinner:
    """The running check, with its elapsed seconds, drawn anew at each refresh."""

    def __init__(self, owner: _Running) -> None:
        from rich.spinner import Spinner

        self.owner = owner
        self.spinner = Spinner("dots", style="cyan")  # one spinner, so its frames advance

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.padding import Padding
        from rich.text import Text

        name, doing, since = self.owner.running()
        elapsed = time.monotonic() - since
        if name is None or elapsed < SPINNER_AFTER:
            yield Text("")
            return
        self.spinner.text = Text(f"{name.ljust(self.owner.width)}  {doing} ({elapsed:.1f} s)", style="dim")
        line = self.spinner.render(time.monotonic())
        if isinstance(line, Text):  # redrawn in place: a wrapped tail would stay on the screen
            line.no_wrap, line.overflow = True, "ellipsis"
        yield Padding(line, (0, 0, 0, 2))  # in line with the checks


class _LiveDisplay:
    """A live display that ends with its `with` block; `_guard` runs its writes."""

    live: Live | None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.live is not None:
            live, self.live = self.live, None
            self._guard(live.stop)

    def _guard(self, action: Any, *args: Any) -> None:
        raise NotImplementedError


class LiveReport(_LiveDisplay):
    """A Progress (cli.shared.report) that shows the report as it is made, in the view's
    order; `finish` adds the notes and the summary line."""

    def __init__(self, view: View) -> None:
        self.view = view
        order = self.order = view.order
        self.width = max((len(name) for name in order), default=0)
        self.results: dict[str, CheckResult] = {}
        self.shown = 0  # how many of `order` have been printed
        self.doing: dict[str, tuple[str, float]] = {}
        self.header = header_line(view.title, view.subject, view.subtitle)
        self.live: Live | None = None

    def __enter__(self) -> LiveReport:
        print_lines([self.header])
        if _live_terminal(sys.stdout):
            from rich.live import Live

            console = terminal_console(sys.stdout)
            self.live = Live(_Spinner(self), console=console, transient=True, refresh_per_second=10)
            self._guard(self.live.start)
        return self

    def _guard(self, action: Any, *args: Any) -> None:
        """Writes of the live display bypass the app's writer: give them its guarantees."""
        try:
            action(*args)
        except BrokenPipeError:
            silence(sys.stdout)
        except (OSError, ValueError) as error:
            silence(sys.stdout)
            self.live = None
            reason = getattr(error, "strerror", None) or str(error)
            raise OutputError(f"the output could not be written to stdout: {reason}", OUTPUT_HINT) from None

    def running(self) -> tuple[str | None, str, float]:
        """The first check not shown yet that is under way: its name, what it does, since when."""
        for name in self.order[self.shown :]:
            if name in self.doing and name not in self.results:
                doing, since = self.doing[name]
                return name, doing, since
        return None, "", 0.0

    # -- Progress ---------------------------------------------------------------------------

    def working(self, name: str, doing: str) -> None:
        """What the check does now is what the spinner says; its seconds count from its start."""
        since = self.doing[name][1] if name in self.doing else time.monotonic()
        self.doing[name] = (doing, since)

    def finished(self, result: CheckResult) -> None:
        self.results[result.name] = result
        lines: list[Printable] = []
        while self.shown < len(self.order) and self.order[self.shown] in self.results:
            lines += check_lines(self.results[self.order[self.shown]], self.width)
            self.shown += 1
        if not lines:
            return
        if self.live is not None:
            console = self.live.console
            for line in lines:
                self._guard(console.print, renderable(line, sys.stdout))
        else:
            print_lines(lines)

    def finish(self, report: Report[Any]) -> None:
        """Whatever is left (checks outside `order`), then the notes and the summary line."""
        lines: list[Printable] = []
        for result in report.checks:
            if result.name not in self.order:
                lines += check_lines(result, self.width)
        lines += note_lines(self.view.notes(report), self.width)
        print_lines([*lines, summary_line(report)])


class Preflight(_LiveDisplay):
    """`app convex dev`'s preflight while it runs, on a terminal: its header at once and, after
    half a second, a spinner naming the step under way (`models`, `check`), what it waits for
    and its seconds. Drawn on stderr, where dev's own lines go (stdout is convex dev's), and
    gone when the preflight ends, as what it found is then printed, header first. In a pipe
    or a dumb terminal it draws nothing: those lines come when they are known."""

    width = len("running")  # dev's labels: check, models, target, running

    def __init__(self, title: str, subject: str) -> None:
        self.header = header_line(title, subject)
        self.step: tuple[str | None, str, float] = (None, "", 0.0)
        self.live: Live | None = None

    def __enter__(self) -> Preflight:
        if _live_terminal(sys.stderr):
            from rich.console import Group
            from rich.live import Live

            shown = Group(renderable(self.header, sys.stderr), _Spinner(self))
            console = terminal_console(sys.stderr)
            # stdout stays the app's own: nothing of it is drawn into the display on stderr
            self.live = Live(
                shown, console=console, transient=True, refresh_per_second=10, redirect_stdout=False
            )
            self._guard(self.live.start, True)
        return self

    def _guard(self, action: Any, *args: Any) -> None:
        """Writes of the live display bypass the app's writer: a stderr that cannot be written
        ends the display, never the command (its exit code stays what it would be)."""
        try:
            action(*args)
        except (OSError, ValueError):
            silence(sys.stderr)
            live, self.live = self.live, None
            if live is not None:  # put back the streams it took over; its writes now go nowhere
                with contextlib.suppress(Exception):
                    live.stop()

    def working(self, step: str, doing: str) -> None:
        """What the step waits for now is what the spinner says; its seconds count from the step's start."""
        name, _, since = self.step
        self.step = (step, doing, since if name == step else time.monotonic())

    def running(self) -> tuple[str | None, str, float]:
        return self.step
