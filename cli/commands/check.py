"""`app convex check`: options in, the check service, its report out."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands.options import DebugOption, JsonOption, examples, timeout_option
from cli.commands.runner import run
from cli.shared.deadlines import SCHEMA_LOOP_GUARD, TYPECHECK_DEADLINE

NAME = "check"
# In the list of commands and beside completions: one line from 40 columns up.
SHORT_HELP = "Check the setup offline"
HELP = (
    "Check the project's Convex setup offline: layout, toolchain, schema, push rules, contract, "
    "generated models, types and .env.example.\n\n"
    "Exit codes: 0 all passed, 1 a check failed, 3 toolchain or configuration missing (run `make setup`), "
    "74 the output could not be written."
)
EPILOG = examples(
    ("app convex check", "every check, shown as each finishes"),
    ("app convex check --json", "one JSON document, for CI"),
    ("app convex check --no-typecheck", "skip tsc"),
    ("app convex check --watch", "again on each save, with what changed (Ctrl-C ends)"),
)


def command(
    json_output: JsonOption = False,
    timeout: Annotated[
        float,
        timeout_option("Loop guard for evaluating schema.ts in Node (an endless loop ends there)."),
    ] = SCHEMA_LOOP_GUARD,
    typecheck_timeout: Annotated[
        float,
        timeout_option(
            "Deadline for tsc, only against a hang: large schemas on slow runners need time.",
            low=1,
            name="--typecheck-timeout",
        ),
    ] = TYPECHECK_DEADLINE,
    no_typecheck: Annotated[
        bool, typer.Option("--no-typecheck", help="Skip `tsc --noEmit -p convex`.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Check again on each change in the functions folder, from a warm Node, and say what "
            "changed since the last run (no tsc; Ctrl-C ends it).",
        ),
    ] = False,
    debug: DebugOption = False,
) -> None:
    if watch and json_output:
        raise typer.BadParameter(
            "--watch shows the checklist for people; use --json without it", param_hint="--watch"
        )

    def action() -> int:
        from cli.commands.present import present, project_view
        from cli.services.convex.check.run import NAMES, CheckOptions, run_check

        project, view = project_view("convex check", NAMES, "Convex check")
        options = CheckOptions(timeout, not no_typecheck, typecheck_timeout=typecheck_timeout)
        if watch:
            from cli.commands.watching import watch_check

            return watch_check(project, view, options)
        return present(json_output, view, lambda progress: run_check(project, options, progress))

    run("convex check", action, json_output=json_output, debug=debug)
