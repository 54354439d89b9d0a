"""`app convex ...`: wires options to the Convex services and renders their results."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.commands.runner import run

if TYPE_CHECKING:
    from collections.abc import Callable

    from cli.services.convex.report import CheckReport, Progress
    from cli.services.project import Project

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


def finite(value: float | None) -> float | None:
    """Typer's range check lets NaN through (every comparison with it is false)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter("must be a number of seconds")
    return value


def timeout_option(help: str, *, low: float = 0.1, high: float | None = 3600) -> Any:
    """`--timeout SECONDS`: a finite number of seconds within the command's range."""
    return typer.Option("--timeout", min=low, max=high, callback=finite, metavar="SECONDS", help=help)


def present(
    json_output: bool,
    order: tuple[str, ...],
    heading: tuple[str, str, str],
    make: Callable[[Progress | None], CheckReport],
) -> int:
    """Make a report and show it: as one JSON document at the end, or for people while it is
    made (`heading`: title, subject, subtitle). Its exit code."""
    if json_output:
        from cli.shared.output import emit_json

        report = make(None)
        emit_json(report.to_json())
    else:
        from cli.commands.progress import LiveReport

        with LiveReport(order, *heading) as live:
            report = make(live)
        live.finish(report)
    return report.exit_code


def present_project(
    json_output: bool,
    order: tuple[str, ...],
    title: str,
    subtitle: str,
    make: Callable[[Project, Progress | None], CheckReport],
) -> int:
    """`present` for a command about the project that the working directory is in."""
    from cli.services.project import require_project

    project = require_project(Path.cwd())
    heading = (title, str(project.root), subtitle)
    return present(json_output, order, heading, lambda progress: make(project, progress))


def examples(*lines: tuple[str, str]) -> str:
    """An Examples section for a command's help: each invocation with what it does, one per
    line (Typer's help joins the lines of a paragraph, so each is a paragraph of its own)."""
    width = max(len(command) for command, _ in lines)
    return "Examples:\n\n" + "\n\n".join(f"$ {command.ljust(width)}  # {what}" for command, what in lines)


@app.command(
    help="Check the project's Convex setup offline: layout, toolchain, schema, push rules, contract, "
    "generated models, types and .env.example.\n\n"
    "Exit codes: 0 all passed, 1 a check failed, 3 toolchain or configuration missing (run `make setup`), "
    "74 the output could not be written.",
    epilog=examples(
        ("app convex check", "every check, shown as each finishes"),
        ("app convex check --json", "one JSON document, for CI"),
        ("app convex check --no-typecheck", "skip tsc"),
    ),
)
def check(
    json_output: JsonOption = False,
    timeout: Annotated[float, timeout_option("Deadline for each Node step (schema evaluation, tsc).")] = 15.0,
    no_typecheck: Annotated[
        bool, typer.Option("--no-typecheck", help="Skip `tsc --noEmit -p convex`.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        from cli.services.convex.check import ORDER, CheckOptions, run_check

        options = CheckOptions(timeout, not no_typecheck)
        return present_project(
            json_output,
            ORDER,
            "Convex check",
            "",
            lambda project, progress: run_check(project, options, progress),
        )

    run("convex check", action, json_output=json_output, debug=debug)


@app.command(
    help="Write the typed Python models of the project's Convex documents and public functions to "
    "cli/services/convex/models/, offline: from convex/schema.ts and the functions' validators, as "
    "Node evaluates them through the pinned convex package.\n\n"
    "Exit codes: 0 written or current, 1 with --check: the files are stale (nothing is written), "
    "3 toolchain missing (run `make setup`), 74 the output could not be written.",
    epilog=examples(
        ("app convex codegen", "write the models (commit them)"),
        ("app convex codegen --check", "in CI: fail when they are stale"),
    ),
)
def codegen(
    check_only: Annotated[
        bool, typer.Option("--check", help="Only say whether the files are current; write nothing.")
    ] = False,
    json_output: JsonOption = False,
    timeout: Annotated[float, timeout_option("Deadline for each Node step.")] = 30.0,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        from cli.services.convex.generate import ORDER, CodegenOptions, run_codegen

        options = CodegenOptions(check_only, timeout)
        subtitle = "  (--check)" if check_only else ""
        return present_project(
            json_output,
            ORDER,
            "Convex codegen",
            subtitle,
            lambda project, live: run_codegen(project, options, live),
        )

    run("convex codegen", action, json_output=json_output, debug=debug)


@app.command(
    help="Ping the deployment: is it up, does it run this project's functions, is its schema the local "
    "one?\n\n"
    "Exit codes: 0 healthy and in sync, 1 reachable but unhealthy or drifted, 3 no or malformed URL, "
    "4 unreachable or timed out, 74 the output could not be written.",
    epilog=examples(
        ("app convex ping", "the deployment in CONVEX_URL"),
        ("app convex ping --url http://127.0.0.1:3210", "another one"),
        ("app convex ping --sync --json", "WebSocket sync too; JSON"),
    ),
)
def ping(
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="Deployment URL (default: CONVEX_URL from the environment, .env.local or .env).",
        ),
    ] = None,
    count: Annotated[
        int,
        typer.Option(
            "--count",
            min=1,
            max=100,
            metavar="N",
            help="Probe rounds to send (each GETs /instance_name and /version).",
        ),
    ] = 3,
    timeout: Annotated[float, timeout_option("Deadline for the whole command.", high=600)] = 10.0,
    sync: Annotated[
        bool, typer.Option("--sync", help="Also query over WebSocket sync with the official ConvexClient.")
    ] = False,
    json_output: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    def action() -> int:
        from cli.services.config.config import Settings
        from cli.services.config.deployment_url import deployment_url
        from cli.services.convex.dashboard import find_dashboard
        from cli.services.convex.ping import PingOptions, run_ping
        from cli.services.project import find_project

        project = find_project(Path.cwd())  # outside a project, ping works without drift
        settings = Settings(project.root if project else Path.cwd(), flags={"CONVEX_URL": ("--url", url)})
        setting = deployment_url(settings)
        options = PingOptions(count, timeout, sync, debug)
        dashboard = find_dashboard(setting.text, settings, project.root if project else None)
        order = ("reachable", "functions", "schema", *(("sync",) if sync else ()))
        heading = ("Convex ping", setting.text, f"  ({setting.describe()})")
        return present(
            json_output,
            order,
            heading,
            lambda progress: run_ping(setting, project, options, progress, dashboard),
        )

    run("convex ping", action, json_output=json_output, debug=debug)


@app.command(
    help="Run the project's pinned `convex dev` after a preflight check.\n\n"
    "The preflight needs node and the pinned convex package (exit 3 otherwise), runs the offline schema "
    "check (unless --no-check) and says which deployment will be used. Arguments after -- that only ask "
    "for help or the version go straight to convex dev, with no preflight.\n\n"
    "Exits with convex dev's own exit code (130 after Ctrl-C); --once exits 1 when the push did not "
    "complete, and 4 when --timeout stopped it.",
    epilog=examples(
        ("app convex dev", "push on every change"),
        ("app convex dev --once", "push once and exit"),
        ("app convex dev --local", "the local no-account deployment"),
        ("app convex dev -- --help", "convex dev's own options"),
    ),
)
def dev(
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

        from cli.commands.render import render_dev_result, render_dev_start, render_report
        from cli.services.convex.dev import DevOptions, asks_only_for_help, pass_through, prepare
        from cli.services.convex.dev import run as run_dev
        from cli.services.project import require_project
        from cli.shared.output import emit_bytes

        project = require_project(Path.cwd())
        if asks_only_for_help(tuple(args or ())):
            return pass_through(project, tuple(args or ()), emit_bytes)
        limit = timeout if timeout is not None else (600.0 if once else None)
        options = DevOptions(once, local, not no_check, tuple(args or ()), limit)
        prep = prepare(project, options, interactive=sys.stdin is not None and sys.stdin.isatty())
        if prep.blocked and prep.check is not None:
            render_report(prep.check, "Convex check")
            from cli.shared.errors import AppError

            raise AppError(
                "the schema check failed, so convex dev was not started",
                "Fix the findings above, or start it anyway with --no-check.",
                exit_code=prep.check.exit_code,
            )
        render_dev_start(prep)

        result = run_dev(prep, options, emit_bytes)
        render_dev_result(result)
        return result.exit_code

    run("convex dev", action, json_output=False, debug=debug)
