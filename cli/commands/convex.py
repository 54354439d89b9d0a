"""`app convex ...`: wires options to the Convex services and renders their results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.commands.runner import run

app = typer.Typer(
    name="convex",
    help="Run, check and ping the project's Convex backend.",
    no_args_is_help=True,
    add_completion=False,
)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show details (never keys) and tracebacks.")]


@app.command()
def check(
    json_output: JsonOption = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            max=3600,
            metavar="SECONDS",
            help="Deadline for each Node step (schema evaluation, tsc).",
        ),
    ] = 15.0,
    no_typecheck: Annotated[
        bool, typer.Option("--no-typecheck", help="Skip `tsc --noEmit -p convex`.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Check the project's Convex setup offline: layout, toolchain, schema, push rules,
    contract, types and .env.example.

    Exit codes: 0 all passed, 1 a check failed, 3 toolchain missing (run `make setup`).
    """

    def action() -> int:
        from cli.services.convex.check import CheckOptions, find_project_root, run_check

        report = run_check(find_project_root(Path.cwd()), CheckOptions(timeout, not no_typecheck))
        if json_output:
            from cli.shared.output import emit_json

            emit_json(report.to_json())
        else:
            from cli.commands.render import render_check

            render_check(report)
        return report.exit_code

    run("convex check", action, json_output=json_output, debug=debug)
