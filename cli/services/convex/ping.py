"""`app convex ping`: is the deployment up, and is it running this project's code and schema?

Everything runs under one deadline: probes of the routes the Convex CLI itself uses,
a call of the `health:ping` query over the HTTP API, a drift report against the local
schema (evaluated in Node while the probes run) and, when asked, a query over the
official client's WebSocket sync path in a bounded child process.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from cli.services.config.config import Setting
from cli.services.config.deployment_url import shown_url
from cli.services.convex.dashboard import Dashboard
from cli.services.convex.evaluation import Evaluation, read_evaluation, start_evaluation
from cli.services.convex.export_cache import cached_export, store_export
from cli.services.convex.health import HEALTH_FUNCTION, PUSH_HINT, error_summary
from cli.services.convex.http import Connection, Deadline, ProtocolError, Response, unreachable
from cli.services.convex.report import CheckReport, CheckResult, Progress, Status
from cli.services.convex.schema_model import Labels, SchemaModel, compare
from cli.services.project import Project
from cli.shared.errors import ExitCode
from cli.shared.process import Bounded
from cli.shared.text import plural

SCHEMA_FILE = "schema.ts"  # named with its folder when the project is known


@dataclass(frozen=True)
class PingOptions:
    count: int = 3
    timeout: float = 10.0
    sync: bool = False
    debug: bool = False  # findings carry the underlying error (never a key: none is sent)


def run_ping(
    url: Setting,
    project: Project | None,
    options: PingOptions,
    progress: Progress | None = None,
    dashboard: Dashboard | None = None,
) -> CheckReport:
    began = time.monotonic()
    deadline = Deadline(options.timeout)
    order = ("reachable", "functions", "schema", *(("sync",) if options.sync else ()))
    report = CheckReport(url.text, command="convex ping", subject_key="url", order=order, progress=progress)
    report.details["url_source"] = url.source
    if dashboard is not None:
        report.details["dashboard"] = dashboard.to_json()
        report.notes.append(("dashboard", dashboard.url or f"none: {dashboard.why}"))
    local = _start_local_schema(project, options.timeout)
    connection = Connection(url.text, deadline)
    sync: Bounded | None = None
    try:
        report.working("reachable", f"waiting for {shown_url(url.text, 60)} to answer")
        if _probe(connection, options.count, report, options.debug):
            report.working("functions", f"calling {HEALTH_FUNCTION}")
            deployed = _call_health(connection, report, options.debug)
            # The sync check runs while the local schema is compared, under the same deadline.
            if options.sync:
                from cli.services.convex.sync_check import start_sync

                sync = start_sync(url.text, deadline)
            report.working("schema", "comparing the deployed schema with the local one")
            _drift(deployed, local, report, project, options.timeout)
            if options.sync:
                from cli.services.convex.sync_check import finish_sync

                report.working("sync", "querying over the WebSocket sync protocol")
                finish_sync(sync, report)
        elif options.sync:
            _skip_rest(report, ("sync",), "needs a reachable Convex deployment")
    finally:
        connection.close()
        for child in (local, sync):
            if isinstance(child, Bounded):
                child.kill()
    report.seconds = time.monotonic() - began
    return report


def _start_local_schema(project: Project | None, timeout: float) -> dict[str, Any] | Bounded | None:
    """The local schema's export: cached from an earlier evaluation of the same sources, or
    being evaluated in Node while the network probes run; None when it cannot be had."""
    if project is None or not (project.root / project.schema_file).is_file():
        return None
    if project.convex.version is None:
        return None
    cached = cached_export(project)
    if cached is not None:
        return cached
    return start_evaluation(project, project.node, timeout) if project.node else None


def _skip_rest(report: CheckReport, names: tuple[str, ...], why: str) -> None:
    for name in names:
        report.add(CheckResult(name, Status.SKIPPED, why))


def _probe(connection: Connection, count: int, report: CheckReport, debug: bool) -> bool:
    """GET /instance_name and /version `count` times: the deployment is up and is Convex."""
    latencies: list[float] = []
    name = version = None
    rest = ("functions", "schema")
    for _ in range(count):
        try:
            answer = connection.request("GET", "/instance_name")
            latencies.append(answer.seconds)
            problem = _not_convex(answer, "/instance_name")
            if problem:
                report.add(problem)
                _skip_rest(report, rest, "needs a reachable Convex deployment")
                return False
            name = answer.text().strip()
            versioned = connection.request("GET", "/version")
            latencies.append(versioned.seconds)
            if versioned.status == 200 and not versioned.truncated and _is_plain(versioned):
                version = versioned.text().strip() or None
        except OSError as error:
            report.add(_network_failure(connection, error, "reachable", debug))
            _skip_rest(report, rest, "needs a reachable Convex deployment")
            return False
    stats = {
        "min": round(min(latencies) * 1000, 3),
        "median": round(_median(latencies) * 1000, 3),
        "max": round(max(latencies) * 1000, 3),
    }
    report.details["deployment"] = {
        "instance_name": name,
        "version": version,
        "requests": len(latencies),
        "latency_ms": stats,
    }
    version_text = f"backend {version}" if version else "backend version not served"
    report.add(
        CheckResult(
            "reachable",
            Status.PASSED,
            f"instance {name}, {version_text}; latency min {stats['min']:.1f} · median "
            f"{stats['median']:.1f} · max {stats['max']:.1f} ms over {plural(len(latencies), 'request')}",
        )
    )
    return True


def _median(values: list[float]) -> float:
    # statistics.median would import fractions and decimal: ~10 ms on every ping
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _is_plain(answer: Response) -> bool:
    return "html" not in answer.content_type.lower() and b"<" not in answer.body[:64]


def _not_convex(answer: Response, path: str) -> CheckResult | None:
    """Why this answer to a Convex route shows the server is not a healthy Convex deployment."""
    if answer.status >= 500:
        return CheckResult.failure(
            "reachable",
            "ping/server-error",
            f"the deployment answered HTTP {answer.status} to GET {path}",
            "The deployment is up but failing: look at its logs (dashboard, or the terminal "
            "running the local backend) and try again.",
        )
    if answer.status != 200 or answer.truncated or not _is_plain(answer) or len(answer.body) > 256:
        what = f"HTTP {answer.status} {answer.content_type or 'without a content type'}"
        if answer.truncated:
            what += ", with an answer that did not end"
        return CheckResult.failure(
            "reachable",
            "ping/not-convex",
            f"something answers there, but not a Convex deployment (GET {path}: {what})",
            "Check CONVEX_URL: it should be the deployment URL that `npx convex dev` prints, "
            "e.g. https://happy-otter-123.convex.cloud, not a dashboard or site URL.",
        )
    return None


def _network_failure(connection: Connection, error: OSError, name: str, debug: bool) -> CheckResult:
    """A request that got no usable answer: unreachable (exit 4), or an answer that is not
    HTTP, from something that is not a Convex deployment (exit 1)."""
    if isinstance(error, ProtocolError):
        detail = f" ({type(error).__name__}: {error})" if debug else ""
        return CheckResult.failure(
            name,
            "ping/not-convex",
            f"something answers at {connection.host}:{connection.port}, but not as a Convex deployment "
            f"does ({error})",
            "Check CONVEX_URL: it should be the deployment URL that `npx convex dev` prints.",
            finding=f"{error}{detail}",
        )
    failure = unreachable(connection.url, error, connection.deadline.seconds)
    detail = f" ({failure.detail})" if debug and failure.detail else ""
    return CheckResult.failure(
        name,
        "ping/unreachable",
        failure.message,
        failure.hint or "",
        finding=failure.message + detail,
        exit_code=ExitCode.UNREACHABLE,
    )


def _call_health(connection: Connection, report: CheckReport, debug: bool) -> dict[str, Any] | None:
    """Call health:ping over the HTTP API; the deployed schema export, or None."""
    body = {"path": HEALTH_FUNCTION, "args": {}, "format": "json"}
    try:
        answer = connection.request("POST", "/api/query", body=body)
    except OSError as error:
        report.add(_network_failure(connection, error, "functions", debug))
        return None
    try:
        result = answer.json() if not answer.truncated else None
    except ValueError:
        result = None
    if answer.status >= 500 or not isinstance(result, dict):
        what = f"HTTP {answer.status}" + ("" if isinstance(result, dict) else ", not a JSON object")
        report.add(
            CheckResult.failure(
                "functions",
                "ping/function-call",
                f"POST /api/query for {HEALTH_FUNCTION} failed ({what})",
                "The deployment is up but cannot run functions: look at its logs and try again.",
            )
        )
        return None
    if result.get("status") == "success":
        value = result.get("value")
        report.add(
            CheckResult(
                "functions",
                Status.PASSED,
                f"{HEALTH_FUNCTION} answered in {answer.seconds * 1000:.1f} ms",
            )
        )
        return value if isinstance(value, dict) else {}
    message = str(result.get("errorMessage") or result.get("message") or "no error message")
    missing = "Could not find public function" in message
    first_line = error_summary(message)
    report.add(
        CheckResult.failure(
            "functions",
            "ping/health-missing" if missing else "ping/health-error",
            f"the deployment has no {HEALTH_FUNCTION} function (it runs other code than this project's)"
            if missing
            else f"{HEALTH_FUNCTION} failed: {first_line}",
            PUSH_HINT if missing else "Look at the function's logs on the deployment, then push a fix.",
            finding=first_line,
        )
    )
    return None


def _drift(
    deployed: dict[str, Any] | None,
    local_source: dict[str, Any] | Bounded | None,
    report: CheckReport,
    project: Project | None,
    timeout: float,
) -> None:
    if deployed is None:
        report.add(CheckResult("schema", Status.SKIPPED, f"needs {HEALTH_FUNCTION} to answer"))
        return
    local: Evaluation | None = None
    if isinstance(local_source, Bounded):
        assert project is not None  # only a project's schema is evaluated
        local = read_evaluation(local_source.finish(), timeout, project)
        store_export(project, local)
    elif local_source is not None:
        local = Evaluation(local_source, None)
    schema = project.schema_file if project else SCHEMA_FILE
    if local is None or local.export is None:
        why = local.message if local else f"no {schema}, node or node_modules/convex here"
        hint = (
            f"Run `app convex check` to see why {schema} does not evaluate."
            if local
            else "Run ping from the project with `make setup` done, so the local schema can be evaluated."
        )
        report.add(CheckResult("schema", Status.WARNING, f"drift not checked: {why}", hint))
        return
    text = deployed.get("schema")
    try:
        deployed_export = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        deployed_export = None
    if not isinstance(deployed_export, dict):
        report.add(
            CheckResult.failure(
                "schema",
                "drift/no-schema",
                f"{HEALTH_FUNCTION} did not return the deployed schema",
                PUSH_HINT,
                finding=f"{HEALTH_FUNCTION} returned no 'schema' string",
            )
        )
        return
    try:
        deployed_model = SchemaModel.from_export(deployed_export)
    except (AttributeError, KeyError, TypeError, ValueError):  # it came over the network
        deployed_model = None
    if deployed_model is None:
        report.add(
            CheckResult.failure(
                "schema",
                "drift/no-schema",
                f"{HEALTH_FUNCTION} returned a schema that is not a Convex schema export",
                PUSH_HINT,
            )
        )
        return
    labels = Labels(prefix="drift", expected=schema, actual="the deployment")
    findings = compare(SchemaModel.from_export(local.export), deployed_model, labels, extras=True)
    if findings:
        report.add(
            CheckResult(
                "schema",
                Status.FAILED,
                f"the deployed schema differs from {schema}: {plural(len(findings), 'difference')}",
                PUSH_HINT,
                tuple(findings),
            )
        )
    else:
        report.add(CheckResult("schema", Status.PASSED, f"the deployed schema is {schema}'s"))
