"""`app convex codegen`: options in, the codegen service, its report out."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands.options import DebugOption, JsonOption, examples, timeout_option
from cli.commands.runner import run

NAME = "codegen"
# In the list of commands and beside completions: one line from 40 columns up.
SHORT_HELP = "Write the typed Python models"
HELP = (
    "Write the typed Python models of the project's Convex documents and public functions to "
    "cli/services/convex/models/, offline: from convex/schema.ts and the functions' validators, as "
    "Node evaluates them through the pinned convex package.\n\n"
    "Exit codes: 0 written or current; 1 the schema does not evaluate, the backend would reject it "
    "at push, or (with --check) the files are stale: nothing is written; 3 toolchain missing "
    "(run `make setup`); 74 the output could not be written."
)
EPILOG = examples(
    ("app convex codegen", "write the models (commit them)"),
    ("app convex codegen --check", "in CI: fail when they are stale"),
)


def command(
    check_only: Annotated[
        bool, typer.Option("--check", help="Only say whether the files are current; write nothing.")
    ] = False,
    json_output: JsonOption = False,
    timeout: Annotated[float, timeout_option("Deadline for each Node step and for the formatter.")] = 30.0,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        from cli.commands.present import present, project_view
        from cli.services.convex.codegen.run import NAMES, CodegenOptions, run_codegen

        subtitle = "  (--check)" if check_only else ""
        project, view = project_view("convex codegen", NAMES, "Convex codegen", subtitle)
        options = CodegenOptions(check_only, timeout)
        return present(json_output, view, lambda progress: run_codegen(project, options, progress))

    run("convex codegen", action, json_output=json_output, debug=debug)
