"""`app convex check`: options in, the check service, its report out."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands.options import DebugOption, JsonOption, examples, timeout_option
from cli.commands.runner import run

NAME = "check"
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
)


def command(
    json_output: JsonOption = False,
    timeout: Annotated[float, timeout_option("Deadline for each Node step (schema evaluation, tsc).")] = 15.0,
    no_typecheck: Annotated[
        bool, typer.Option("--no-typecheck", help="Skip `tsc --noEmit -p convex`.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        from cli.commands.present import present, project_view
        from cli.services.convex.check.run import NAMES, CheckOptions, run_check

        project, view = project_view("convex check", NAMES, "Convex check")
        options = CheckOptions(timeout, not no_typecheck)
        return present(json_output, view, lambda progress: run_check(project, options, progress))

    run("convex check", action, json_output=json_output, debug=debug)
