"""`app convex ...`: wires options to the Convex services and renders their results."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.commands.runner import run

if TYPE_CHECKING:
    from cli.services.convex.report import CheckReport

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


def show(report: CheckReport, json_output: bool, title: str, subtitle: str = "") -> int:
    """Print a report as JSON or for people; its exit code."""
    if json_output:
        from cli.shared.output import emit_json

        emit_json(report.to_json())
    else:
        from cli.commands.render import render_report

        render_report(report, title, subtitle)
    return report.exit_code


@app.command()
def check(
    json_output: JsonOption = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            max=3600,
            callback=finite,
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
        from cli.services.convex.check import CheckOptions, run_check
        from cli.services.project import require_project

        report = run_check(require_project(Path.cwd()), CheckOptions(timeout, not no_typecheck))
        return show(report, json_output, "Convex check")

    run("convex check", action, json_output=json_output, debug=debug)


@app.command()
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
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            max=600,
            callback=finite,
            metavar="SECONDS",
            help="Deadline for the whole command.",
        ),
    ] = 10.0,
    sync: Annotated[
        bool, typer.Option("--sync", help="Also query over WebSocket sync with the official ConvexClient.")
    ] = False,
    json_output: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Ping the deployment: is it up, does it run this project's functions, is its schema
    the local one?

    Exit codes: 0 healthy and in sync, 1 reachable but unhealthy or drifted, 3 no or
    malformed URL, 4 unreachable or timed out.
    """

    def action() -> int:
        from cli.services.config.config import Settings
        from cli.services.config.deployment_url import deployment_url
        from cli.services.convex.ping import PingOptions, run_ping
        from cli.services.project import find_project

        project = find_project(Path.cwd())  # outside a project, ping works without drift
        settings = Settings(project.root if project else Path.cwd(), flags={"CONVEX_URL": ("--url", url)})
        setting = deployment_url(settings)
        report = run_ping(setting, project, PingOptions(count, timeout, sync, debug))
        return show(report, json_output, "Convex ping", f"  ({setting.describe()})")

    run("convex ping", action, json_output=json_output, debug=debug)


@app.command()
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
        typer.Option(
            "--timeout",
            min=1,
            callback=finite,
            metavar="SECONDS",
            help="Stop convex dev after this long (default: never; 600 with --once).",
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Run the project's pinned `convex dev` after a preflight check.

    The preflight needs node and the pinned convex package (exit 3 otherwise), runs the
    offline schema check (unless --no-check) and says which deployment will be used.
    Exits with convex dev's own exit code (130 after Ctrl-C); `--once` exits 1 when the
    push did not complete, and 4 when --timeout stopped it.
    """

    def action() -> int:
        import sys

        from cli.commands.render import render_dev_result, render_dev_start, render_report
        from cli.services.convex.dev import DevOptions, prepare
        from cli.services.convex.dev import run as run_dev
        from cli.services.project import require_project

        limit = timeout if timeout is not None else (600.0 if once else None)
        options = DevOptions(once, local, not no_check, tuple(args or ()), limit)
        prep = prepare(
            require_project(Path.cwd()), options, interactive=sys.stdin is not None and sys.stdin.isatty()
        )
        if prep.blocked and prep.check is not None:
            render_report(prep.check, "Convex check")
            from cli.shared.errors import AppError

            raise AppError(
                "the schema check failed, so convex dev was not started",
                "Fix the findings above, or start it anyway with --no-check.",
                exit_code=prep.check.exit_code,
            )
        render_dev_start(prep)

        from cli.shared.output import emit_bytes

        result = run_dev(prep, options, emit_bytes)
        render_dev_result(result)
        return result.exit_code

    run("convex dev", action, json_output=False, debug=debug)
