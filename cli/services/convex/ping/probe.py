"""Ping's HTTP steps: probes of the routes the Convex CLI itself uses (is it up, is it Convex),
and a call of the project's `health:ping` query over the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cli.services.convex.deployment.http import Connection, ProtocolError, Response
from cli.services.convex.deployment.unreachable import unreachable
from cli.services.convex.deployment.url import EXAMPLE_URL, URL_VARIABLE
from cli.services.convex.ping.health import HEALTH_FUNCTION, PUSH_HINT, error_summary
from cli.shared.errors import ExitCode
from cli.shared.report import Checklist, CheckResult, Status
from cli.shared.text import plural
from cli.shared.types import JsonObject


@dataclass(frozen=True)
class Latency:
    """Milliseconds per request: the fastest, the median and the slowest."""

    min: float
    median: float
    max: float


@dataclass(frozen=True)
class DeploymentInfo:
    """What the deployment said of itself."""

    instance_name: str | None
    version: str | None  # None where /version is not served
    requests: int
    latency_ms: Latency

    def to_json(self) -> dict[str, Any]:
        latency = {"min": self.latency_ms.min, "median": self.latency_ms.median, "max": self.latency_ms.max}
        return {
            "instance_name": self.instance_name,
            "version": self.version,
            "requests": self.requests,
            "latency_ms": latency,
        }


def probe(
    connection: Connection, count: int, checks: Checklist, debug: bool, where: str = URL_VARIABLE
) -> DeploymentInfo | None:
    """GET /instance_name and /version `count` times: the deployment is up and is Convex (its
    facts), or None with the reason told to `checks`. `where`: what gave the URL, for advice
    (CONVEX_URL, or the flag)."""
    latencies: list[float] = []
    name = version = None
    rest = ("functions", "schema")
    for _ in range(count):
        try:
            answer = connection.request("GET", "/instance_name")
            latencies.append(answer.seconds)
            problem = _not_convex(answer, "/instance_name", where)
            if problem:
                checks.add(problem)
                checks.skip(rest, "needs a reachable Convex deployment")
                return None
            name = answer.text().strip()
            versioned = connection.request("GET", "/version")
            latencies.append(versioned.seconds)
            if versioned.status == 200 and not versioned.truncated and _is_plain(versioned):
                version = versioned.text().strip() or None
        except OSError as error:
            checks.add(network_failure(connection, error, "reachable", debug, where))
            checks.skip(rest, "needs a reachable Convex deployment")
            return None
    stats = Latency(
        round(min(latencies) * 1000, 3), round(_median(latencies) * 1000, 3), round(max(latencies) * 1000, 3)
    )
    version_text = f"backend {version}" if version else "backend version not served"
    checks.add(
        CheckResult(
            "reachable",
            Status.PASSED,
            f"instance {name}, {version_text}; latency min {stats.min:.1f} · median "
            f"{stats.median:.1f} · max {stats.max:.1f} ms over {plural(len(latencies), 'request')}",
        )
    )
    return DeploymentInfo(name, version, len(latencies), stats)


def _median(values: list[float]) -> float:
    # statistics.median would import fractions and decimal: ~10 ms on every ping
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _is_plain(answer: Response) -> bool:
    return "html" not in answer.content_type.lower() and b"<" not in answer.body[:64]


def _not_convex(answer: Response, path: str, where: str) -> CheckResult | None:
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
            f"Check {where}: it should be the deployment URL that `npx convex dev` prints, "
            f"e.g. {EXAMPLE_URL}, not a dashboard or site URL.",
        )
    return None


def network_failure(
    connection: Connection, error: OSError, name: str, debug: bool, where: str = URL_VARIABLE
) -> CheckResult:
    """A request that got no usable answer: unreachable (exit 4), or an answer that is not
    HTTP, from something that is not a Convex deployment (exit 1)."""
    if isinstance(error, ProtocolError):
        detail = f" ({type(error).__name__}: {error})" if debug else ""
        return CheckResult.failure(
            name,
            "ping/not-convex",
            f"something answers at {connection.host}:{connection.port}, but not as a Convex deployment "
            f"does ({error})",
            f"Check {where}: it should be the deployment URL that `npx convex dev` prints.",
            finding=f"{error}{detail}",
        )
    failure = unreachable(connection.url, error, connection.deadline.seconds, where)
    detail = f" ({failure.detail})" if debug and failure.detail else ""
    return CheckResult.failure(
        name,
        "ping/unreachable",
        failure.message,
        failure.hint or "",
        finding=failure.message + detail,
        exit_code=ExitCode.UNREACHABLE,
    )


def call_health(
    connection: Connection, checks: Checklist, debug: bool, where: str = URL_VARIABLE
) -> JsonObject | None:
    """Call health:ping over the HTTP API; the deployed schema export, or None."""
    body = {"path": HEALTH_FUNCTION, "args": {}, "format": "json"}
    try:
        answer = connection.request("POST", "/api/query", body=body)
    except OSError as error:
        checks.add(network_failure(connection, error, "functions", debug, where))
        return None
    try:
        result = answer.json() if not answer.truncated else None
    except ValueError:
        result = None
    if answer.status >= 500 or not isinstance(result, dict):
        what = f"HTTP {answer.status}" + ("" if isinstance(result, dict) else ", not a JSON object")
        checks.add(
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
        checks.add(
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
    checks.add(
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
