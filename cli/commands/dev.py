"""`app convex dev`: options in, the preflight and the pinned `convex dev`, what happened out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.commands.options import DebugOption, examples, timeout_option
from cli.commands.runner import run

NAME = "dev"
# In the list of commands and beside completions: one line from 40 columns up.
SHORT_HELP = "Run convex dev after a check"
HELP = (
    "Run the project's pinned `convex dev` after a preflight check.\n\n"
    "The preflight needs node and the pinned convex package (exit 3 otherwise), regenerates stale typed "
    "models, runs the offline schema check (unless --no-check) and says which deployment will be used. "
    "Arguments after -- that only ask for help or the version go straight to convex dev, with no "
    "preflight.\n\n"
    "While it runs, each save in the functions folder is checked offline before convex dev pushes it: "
    "findings the backend would refuse are shown with their line, and the typed models are rewritten "
    "when the schema or a function's validators changed (lines starting `app · `).\n\n"
    "Exits with convex dev's own exit code (130 after Ctrl-C); --once exits 1 when the push did not "
    "complete, and 4 when --timeout stopped it."
)
EPILOG = examples(
    ("app convex dev", "push on every change"),
    ("app convex dev --once", "push once and exit"),
    ("app convex dev --local", "the local no-account deployment"),
    ("app convex dev -- --help", "convex dev's own options"),
)


def command(
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="[-- ARGS...]", help="Passed to `convex dev` verbatim (after --)."),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Push once and exit (no watching).")] = False,
    local: Annotated[
        bool,
        typer.Option(
            "--local", help="Use Convex's local no-account deployment (CONVEX_AGENT_MODE=anonymous)."
        ),
    ] = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip the offline schema check before starting.")
    ] = False,
    timeout: Annotated[
        float | None,
        timeout_option(
            "Stop convex dev after this long (default: never; 600 with --once).", low=1, high=None
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        import sys

        from cli.commands.progress import Preflight
        from cli.commands.render import render_dev_result, render_dev_start, render_report, round_lines
        from cli.commands.view import View
        from cli.services.convex.check.run import NAMES
        from cli.services.convex.dev.live import Round
        from cli.services.convex.dev.run import DevOptions, asks_only_for_help, pass_through, prepare
        from cli.services.convex.dev.run import run as run_dev
        from cli.services.project import require_project
        from cli.shared.output import emit_bytes, is_terminal, lines_text

        project = require_project(Path.cwd())
        if asks_only_for_help(tuple(args or ())):
            return pass_through(project, tuple(args or ()), emit_bytes)
        limit = timeout if timeout is not None else (600.0 if once else None)
        options = DevOptions(once, local, not no_check, tuple(args or ()), limit)
        # On a terminal, dev's header and what the preflight waits for show while it runs.
        with Preflight("Convex dev", str(project.root)) as shown:
            prep = prepare(project, options, interactive=is_terminal(sys.stdin), steps=shown.working)
        if prep.blocked and prep.check is not None:
            prep.live.close()
            render_report(prep.check, View("convex dev", NAMES, "Convex dev", str(project.root)))
            from cli.shared.errors import AppError

            raise AppError(
                "the schema check failed, so convex dev was not started",
                "Fix the findings above, or start it anyway with --no-check.",
                exit_code=prep.check.exit_code,
            )
        render_dev_start(prep)
        earlier = [prep.first]

        def say(done: Round | BaseException) -> bytes:
            lines = round_lines(done, earlier[-1])
            if isinstance(done, Round):
                earlier.append(done)
            encoding = (sys.stdout.encoding if sys.stdout else None) or "utf-8"
            return lines_text(lines).encode(encoding, errors="replace") if lines else b""

        result = run_dev(prep, options, emit_bytes, say)
        render_dev_result(result)
        return result.exit_code

    run("convex dev", action, json_output=False, debug=debug)
