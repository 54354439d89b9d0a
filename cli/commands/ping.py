"""`app convex ping`: options in, the ping service, its report out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.commands.options import DebugOption, JsonOption, examples, timeout_option
from cli.commands.runner import run

if TYPE_CHECKING:
    from cli.services.convex.ping.run import PingDetails
    from cli.shared.report import Report

NAME = "ping"
# In the list of commands and beside completions: one line from 40 columns up.
SHORT_HELP = "Is the deployment healthy?"
HELP = (
    "Ping the deployment: is it up, does it run this project's functions, is its schema the local "
    "one?\n\n"
    "Exit codes: 0 healthy and in sync, 1 reachable but unhealthy or drifted, 3 no or malformed URL, "
    "4 unreachable or timed out, 74 the output could not be written."
)
EPILOG = examples(
    ("app convex ping", "the deployment in CONVEX_URL"),
    ("app convex ping --url http://127.0.0.1:3210", "another one"),
    ("app convex ping --sync --json", "WebSocket sync too; JSON"),
)


def dashboard_note(report: Report[PingDetails]) -> list[tuple[str, str]]:
    """The deployment's dashboard, or why it has none, under the checks."""
    dashboard = report.details.dashboard if report.details is not None else None
    if dashboard is None:
        return []
    return [("dashboard", dashboard.url or f"none: {dashboard.why}")]


def command(
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
        from cli.commands.present import present
        from cli.commands.view import View
        from cli.services.config.settings import Settings
        from cli.services.convex.deployment.dashboard import find_dashboard
        from cli.services.convex.deployment.url import deployment_url, url_warnings
        from cli.services.convex.ping.run import NAMES, PingOptions, run_ping
        from cli.services.project import find_project

        project = find_project(Path.cwd())  # outside a project, ping works without drift
        root = project.root if project else None
        settings = Settings(root or Path.cwd(), flags={"CONVEX_URL": ("--url", url)})
        warnings = tuple(url_warnings(settings))  # what the URL's error would say is said there
        if warnings and not json_output:  # before the error they may explain
            from cli.shared.output import render_warnings

            render_warnings(warnings)
        setting = deployment_url(settings)
        options = PingOptions(count, timeout, sync, debug)
        dashboard = find_dashboard(setting.text, settings, root)
        order = NAMES if sync else NAMES[:-1]
        view = View(
            "convex ping",
            order,
            "Convex ping",
            setting.text,
            f"  ({setting.describe()})",
            "url",
            dashboard_note,
        )
        return present(
            json_output,
            view,
            lambda progress: run_ping(setting, project, options, progress, dashboard, warnings),
        )

    run("convex ping", action, json_output=json_output, debug=debug)
