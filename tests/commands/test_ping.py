"""`app convex ping` against the loopback test deployment: every exit code and misbehaviour.

Each run uses --timeout 2 and must end within the deadline plus 1 s by its own clock (and
start-up included, within a few seconds more), with one line of cause and one of advice.
"""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.loopback.client import MisbehaviourMode, TestDeployment
from tests.support.project import (
    OUTPUT_SCHEMA,
    Result,
    app_env,
    left_running,
    run_app,
    schema_export,
    signal_once_running,
)

TIMEOUT = 2.0


# Interpreter start-up is timed apart from the deadline: with both CPUs busy it alone can take
# over a second, and it is the same for every command (`make bench` holds it to its goal).
START_UP_ALLOWANCE = 4.0
SUMMARY_SECONDS = re.compile(r" in (\d+\.\d+) s$")


def ping(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Result, float]:
    """Run ping; the result and the seconds it took by its own clock, from its report
    (`duration_ms` in JSON, the summary line's "in N s" for people)."""
    began = time.monotonic()
    result = run_app("convex", "ping", "--timeout", str(TIMEOUT), *args, cwd=project, env=env, timeout=30)
    wall = time.monotonic() - began
    assert "Traceback" not in result.output
    assert wall <= TIMEOUT + START_UP_ALLOWANCE  # the whole process, start-up included
    if result.stdout.startswith("{"):
        return result, result.json()["duration_ms"] / 1000
    summary = SUMMARY_SECONDS.search(result.stdout.rstrip().rsplit("\n", 1)[-1])
    return result, float(summary[1]) if summary else wall


def checks_of(result: Result) -> dict[str, dict[str, Any]]:
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)  # every JSON report here has the documented shape
    return {c["name"]: c for c in document["checks"]}


@pytest.fixture
def local_schema(project: Path) -> dict[str, Any]:
    return schema_export(project)


@pytest.fixture
def healthy(test_deployment: TestDeployment, local_schema: dict[str, Any]) -> TestDeployment:
    test_deployment.set_schema(json.dumps(local_schema))
    return test_deployment


def test_healthy_and_in_sync(project: Path, healthy: TestDeployment) -> None:
    result, elapsed = ping(project, "--url", healthy.url)

    assert result.returncode == 0, result.output
    assert f"Convex ping · {healthy.url}  (CONVEX_URL from --url)" in result.stdout
    assert "instance loopback-test, backend 1.29.0" in result.stdout
    assert "health:ping answered" in result.stdout
    assert "the deployed schema is convex/schema.ts's" in result.stdout
    assert "3/3 checks passed" in result.stdout
    assert elapsed <= TIMEOUT + 1


def test_json_report(project: Path, healthy: TestDeployment) -> None:
    result, _ = ping(project, "--url", healthy.url, "--json", "--count", "4")

    assert result.returncode == 0
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["ok"] is True and document["url"] == healthy.url and document["url_source"] == "--url"
    deployment = document["deployment"]
    assert deployment["instance_name"] == "loopback-test" and deployment["version"] == "1.29.0"
    assert deployment["requests"] == 8
    latency = deployment["latency_ms"]
    assert 0 < latency["min"] <= latency["median"] <= latency["max"]
    probes = [r.path for r in healthy.requests() if r.method == "GET"]
    assert probes.count("/instance_name") == 4 and probes.count("/version") == 4


def test_url_from_env_local_and_its_source_shown(project: Path, healthy: TestDeployment) -> None:
    (project / ".env.local").write_text(f"CONVEX_URL={healthy.url}\n")

    result, _ = ping(project)

    assert result.returncode == 0, result.output
    assert "(CONVEX_URL from .env.local)" in result.stdout


def test_environment_wins_over_env_local(project: Path, healthy: TestDeployment, refused_url: str) -> None:
    (project / ".env.local").write_text(f"CONVEX_URL={refused_url}\n")

    result, _ = ping(project, env=app_env(CONVEX_URL=healthy.url))

    assert result.returncode == 0, result.output
    assert "(CONVEX_URL from environment)" in result.stdout


def test_sync_path_with_the_official_client(project: Path, healthy: TestDeployment) -> None:
    result, elapsed = ping(project, "--url", healthy.url, "--sync", "--json")

    assert result.returncode == 0, result.output
    sync = checks_of(result)["sync"]
    assert sync["status"] == "passed" and "WebSocket sync answered" in sync["message"]
    assert result.json()["sync_latency_ms"] > 0
    assert any(r.path == "/api/sync" for r in healthy.requests())
    assert elapsed <= TIMEOUT + 1


@pytest.mark.waits
def test_sync_path_failing_is_unhealthy(project: Path, healthy: TestDeployment) -> None:
    healthy.misbehave("silent", paths=["/api/sync"])

    result, elapsed = ping(project, "--url", healthy.url, "--sync")

    assert result.returncode == 1, result.output
    assert "WebSocket sync: no answer" in result.stdout
    assert elapsed <= TIMEOUT + 1


def test_health_function_missing(project: Path, test_deployment: TestDeployment) -> None:
    result, _ = ping(project, "--url", test_deployment.url)

    assert result.returncode == 1
    assert "the deployment has no health:ping function" in result.stdout
    assert "app convex dev" in result.stdout


def test_health_function_failing(project: Path, test_deployment: TestDeployment) -> None:
    test_deployment.add_failing("health:ping", "database is on fire")

    result, _ = ping(project, "--url", test_deployment.url, "--json")

    assert result.returncode == 1
    assert "database is on fire" in checks_of(result)["functions"]["message"]


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("status_500", "answered HTTP 500"),
        ("html_404", "not a Convex deployment (GET /instance_name: HTTP 404 text/html"),
        ("endless_body", "an answer that did not end"),
    ],
)
def test_misbehaving_server_is_reachable_but_unhealthy(
    project: Path, test_deployment: TestDeployment, mode: MisbehaviourMode, text: str
) -> None:
    test_deployment.misbehave(mode)

    result, elapsed = ping(project, "--url", test_deployment.url)

    assert result.returncode == 1, result.output
    assert text in result.stdout
    assert "→" in result.stdout  # the advice line
    assert elapsed <= TIMEOUT + 1


def test_function_endpoint_failing_with_500(project: Path, healthy: TestDeployment) -> None:
    healthy.misbehave("status_500", paths=["/api/query"])

    result, _ = ping(project, "--url", healthy.url, "--json")

    assert result.returncode == 1
    assert "HTTP 500" in checks_of(result)["functions"]["message"]


@pytest.mark.parametrize("mode", ["silent", "slow_headers"])
@pytest.mark.waits
def test_silent_or_slow_server_times_out_with_exit_4(
    project: Path, test_deployment: TestDeployment, mode: MisbehaviourMode
) -> None:
    test_deployment.misbehave(mode, seconds=30)

    result, elapsed = ping(project, "--url", test_deployment.url)

    assert result.returncode == 4, result.output
    assert f"no answer from 127.0.0.1:{test_deployment.url.rsplit(':', 1)[1]} within 2 s" in result.stdout
    assert elapsed <= TIMEOUT + 1


def test_refused_port_exits_4(project: Path, refused_url: str) -> None:
    result, elapsed = ping(project, "--url", refused_url, "--json")

    assert result.returncode == 4
    reachable = checks_of(result)["reachable"]
    assert reachable["message"].startswith("connection refused by 127.0.0.1:")
    assert "app convex dev" in reachable["hint"]
    assert elapsed <= TIMEOUT + 1


@pytest.mark.waits
def test_tcp_accepted_but_never_answered_exits_4(project: Path, silent_tcp_url: str) -> None:
    result, elapsed = ping(project, "--url", silent_tcp_url)

    assert result.returncode == 4
    assert "no answer from" in result.stdout
    assert elapsed <= TIMEOUT + 1


def test_unknown_host_exits_4(project: Path) -> None:
    result, elapsed = ping(project, "--url", "https://no-such-deployment.invalid")

    assert result.returncode == 4, result.output
    assert "no-such-deployment.invalid" in result.stdout
    assert elapsed <= TIMEOUT + 1


def test_tls_against_plain_http_exits_4(project: Path, test_deployment: TestDeployment) -> None:
    url = test_deployment.url.replace("http://", "https://")

    result, elapsed = ping(project, "--url", url, "--json")

    assert result.returncode == 4, result.output
    reachable = checks_of(result)["reachable"]
    assert reachable["message"].startswith("TLS handshake with 127.0.0.1:")
    assert "http://" in reachable["hint"]
    assert elapsed <= TIMEOUT + 1


def drift_of(project: Path, deployment: TestDeployment, deployed: dict[str, Any]) -> list[dict[str, Any]]:
    deployment.set_schema(json.dumps(deployed))
    result, _ = ping(project, "--url", deployment.url, "--json")
    assert result.returncode == 1, result.output
    schema = checks_of(result)["schema"]
    assert schema["status"] == "failed" and "push" in schema["hint"].lower()
    findings: list[dict[str, Any]] = schema["findings"]
    return findings


def test_drift_in_a_field(
    project: Path, test_deployment: TestDeployment, local_schema: dict[str, Any]
) -> None:
    deployed = copy.deepcopy(local_schema)
    users = next(t for t in deployed["tables"] if t["tableName"] == "users")
    users["documentType"]["value"]["username"]["fieldType"] = {"type": "number"}

    findings = drift_of(project, test_deployment, deployed)

    assert [(f["code"], f["table"], f["field"]) for f in findings] == [
        ("drift/field-type", "users", "username")
    ]
    assert "the deployment has v.number()" in findings[0]["message"]


def test_drift_in_an_index(
    project: Path, test_deployment: TestDeployment, local_schema: dict[str, Any]
) -> None:
    deployed = copy.deepcopy(local_schema)
    prices = next(t for t in deployed["tables"] if t["tableName"] == "prices")
    prices["indexes"] = []

    findings = drift_of(project, test_deployment, deployed)

    assert [(f["code"], f["table"], f["index"]) for f in findings] == [
        ("drift/missing-index", "prices", "by_symbol")
    ]


def test_drift_in_a_table(
    project: Path, test_deployment: TestDeployment, local_schema: dict[str, Any]
) -> None:
    deployed = copy.deepcopy(local_schema)
    deployed["tables"] = [t for t in deployed["tables"] if t["tableName"] != "agents"]
    deployed["tables"].append({**copy.deepcopy(deployed["tables"][0]), "tableName": "legacy_users"})

    findings = drift_of(project, test_deployment, deployed)

    assert sorted((f["code"], f["table"]) for f in findings) == [
        ("drift/extra-table", "legacy_users"),
        ("drift/missing-table", "agents"),
    ]


def test_drift_not_checked_outside_a_project(tmp_path: Path, healthy: TestDeployment) -> None:
    result, _ = ping(tmp_path, "--url", healthy.url, "--json")

    assert result.returncode == 0
    schema = checks_of(result)["schema"]
    assert schema["status"] == "warning" and "drift not checked" in schema["message"]


@pytest.mark.parametrize("args", [["--count", "0"], ["--timeout", "-1"], ["--count", "many"]])
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    result = run_app("convex", "ping", "--url", "http://127.0.0.1:9", *args, cwd=project)

    assert result.returncode == 2


def test_local_schema_export_is_reused_until_the_sources_change(
    project: Path, healthy: TestDeployment, tmp_path: Path
) -> None:
    assert run_app("convex", "check", "--no-typecheck", cwd=project).returncode == 0  # caches the export
    no_node = app_env(PATH=str(tmp_path / "no-bin"))

    cached, _ = ping(project, "--url", healthy.url, "--json", env=no_node)

    assert cached.returncode == 0, cached.output
    assert checks_of(cached)["schema"]["status"] == "passed"  # compared without starting Node

    schema = project / "convex" / "schema.ts"
    schema.write_text(schema.read_text().replace("    bio: v.optional(v.string()),\n", ""))
    changed, _ = ping(project, "--url", healthy.url, "--json")

    assert changed.returncode == 1
    findings = checks_of(changed)["schema"]["findings"]
    assert [(f["code"], f["field"]) for f in findings] == [("drift/extra-field", "bio")]


def test_sigterm_during_sync_leaves_no_child(project: Path, healthy: TestDeployment) -> None:
    import signal

    healthy.misbehave("silent", paths=["/api/sync"])
    args = ["convex", "ping", "--sync", "--timeout", "30", "--url", healthy.url]

    result = signal_once_running(
        args, cwd=project, sig=signal.SIGTERM, child="sync_probe", mentioning=healthy.url
    )

    assert result.returncode == 143
    assert result.stderr.strip() == "error: stopped by SIGTERM"
    assert left_running(healthy.url) == []


def test_cached_export_notices_a_change_in_a_file_outside_convex(
    project: Path, healthy: TestDeployment
) -> None:
    shared = project / "shared"
    shared.mkdir()
    (shared / "fields.ts").write_text(
        'import { v } from "convex/values";\nexport const bio = v.optional(v.string());\n'
    )
    schema = project / "convex" / "schema.ts"
    text = schema.read_text()
    text = 'import { bio } from "../shared/fields";\n' + text.replace("bio: v.optional(v.string()),", "bio,")
    schema.write_text(text)
    assert run_app("convex", "check", "--no-typecheck", cwd=project).returncode == 0  # caches the export
    in_sync, _ = ping(project, "--url", healthy.url)
    assert in_sync.returncode == 0, in_sync.output

    (shared / "fields.ts").write_text(
        'import { v } from "convex/values";\nexport const bio = v.optional(v.number());\n'
    )
    drifted, _ = ping(project, "--url", healthy.url, "--json")

    assert drifted.returncode == 1, drifted.output
    findings = checks_of(drifted)["schema"]["findings"]
    assert [(f["code"], f["field"]) for f in findings] == [("drift/field-type", "bio")]
