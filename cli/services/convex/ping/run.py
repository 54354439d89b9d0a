"""`app convex ping`: is the deployment up, and is it running this project's code and schema?

Everything runs under one deadline: probes of the routes the Convex CLI itself uses
(probe.py), a call of the `health:ping` query over the HTTP API, a drift report against the
local schema (drift.py; evaluated in Node while the probes run, unless cached) and, when asked,
a query over the official client's WebSocket sync path in a bounded child process (sync.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from cli.services.config.settings import Setting
from cli.services.convex.deployment.dashboard import Dashboard
from cli.services.convex.deployment.http import Connection, Deadline
from cli.services.convex.deployment.url import shown_url
from cli.services.convex.ping.drift import drift_result
from cli.services.convex.ping.health import HEALTH_FUNCTION
from cli.services.convex.ping.probe import DeploymentInfo, call_health, probe
from cli.services.convex.schema.local import LocalSchema, local_schema
from cli.services.project import Project, functions_folder_problem
from cli.shared.process import Bounded
from cli.shared.report import Checklist, Progress, Report

NAMES = ("reachable", "functions", "schema", "sync")


@dataclass(frozen=True)
class PingOptions:
    count: int = 3
    timeout: float = 10.0
    sync: bool = False
    debug: bool = False  # findings carry the underlying error (never a key: none is sent)


@dataclass(frozen=True)
class PingDetails:
    """What ping reports besides its checks (the JSON document's top-level facts)."""

    url_source: str
    deployment: DeploymentInfo | None = None  # when it answered as a Convex deployment
    sync_latency_ms: float | None = None  # with --sync, when the query answered
    dashboard: Dashboard | None = None
    settings_warnings: tuple[str, ...] = ()  # what the settings files hold that is ignored or hidden

    def to_json(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"url_source": self.url_source}
        if self.settings_warnings:
            facts["settings_warnings"] = list(self.settings_warnings)
        if self.dashboard is not None:
            facts["dashboard"] = self.dashboard.to_json()
        if self.deployment is not None:
            facts["deployment"] = self.deployment.to_json()
        if self.sync_latency_ms is not None:
            facts["sync_latency_ms"] = self.sync_latency_ms
        return facts


def run_ping(
    url: Setting,
    project: Project | None,
    options: PingOptions,
    progress: Progress | None = None,
    dashboard: Dashboard | None = None,
    settings_warnings: tuple[str, ...] = (),
) -> Report[PingDetails]:
    began = time.monotonic()
    deadline = Deadline(options.timeout)
    checks = Checklist(progress)
    local = _local_schema(project, options.timeout)
    connection = Connection(url.text, deadline)
    sync: Bounded | None = None
    deployment: DeploymentInfo | None = None
    sync_ms: float | None = None
    try:
        checks.working("reachable", f"waiting for {shown_url(url.text, 60)} to answer")
        deployment = probe(connection, options.count, checks, options.debug, url.named)
        if deployment is not None:
            checks.working("functions", f"calling {HEALTH_FUNCTION}")
            deployed = call_health(connection, checks, options.debug, url.named)
            # The sync check runs while the local schema is compared, under the same deadline.
            if options.sync:
                from cli.services.convex.ping.sync import start_sync

                sync = start_sync(url.text, deadline)
            checks.working("schema", "comparing the deployed schema with the local one")
            evaluation = local.result() if local is not None and deployed is not None else None
            checks.add(drift_result(deployed, evaluation, project))
            if options.sync:
                from cli.services.convex.ping.sync import finish_sync

                checks.working("sync", "querying over the WebSocket sync protocol")
                result, sync_ms = finish_sync(sync)
                checks.add(result)
        elif options.sync:
            checks.skip(("sync",), "needs a reachable Convex deployment")
    finally:
        connection.close()
        if local is not None:
            local.kill()
        if sync is not None:
            sync.kill()
    details = PingDetails(url.source, deployment, sync_ms, dashboard, settings_warnings)
    return checks.report(url.text, time.monotonic() - began, details)


def _local_schema(project: Project | None, timeout: float) -> LocalSchema | None:
    """The local schema's export, cached or evaluated while the network probes run; None
    where it cannot be had (outside a project, no functions folder, node or convex). A missing
    schema.ts is evaluated: the evaluation says it as check and codegen do."""
    if project is None or project.convex.version is None or functions_folder_problem(project):
        return None
    return local_schema(project, project.node, timeout)
