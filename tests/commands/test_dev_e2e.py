"""End to end with the real CLI: `app convex dev` runs the pinned `npx convex dev`, which
pushes convex/ to the loopback test deployment (self-hosted mode); `app convex ping` then
finds this project's code and schema there."""

from __future__ import annotations

import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.services.config.env_files import read_env_file
from tests.loopback.client import TestDeployment
from tests.support.project import (
    app_env,
    end_processes_mentioning,
    finish,
    left_running,
    processes_mentioning,
    run_app,
    start_app,
    wait_for_output,
)

pytestmark = pytest.mark.slow  # the real Convex CLI, seconds a test

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"


@pytest.fixture
def deployment(test_deployment: TestDeployment) -> TestDeployment:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return test_deployment


@pytest.fixture
def dev_env(deployment: TestDeployment, tmp_path: Path) -> dict[str, str]:
    # CI=1 as in CI: it only turns off the CLI's error reporter (which would try DNS).
    return app_env(
        CONVEX_SELF_HOSTED_URL=deployment.url,
        CONVEX_SELF_HOSTED_ADMIN_KEY=ADMIN_KEY,
        HOME=str(tmp_path / "home"),
        CI="1",
    )


@pytest.fixture
def e2e_project(project: Path) -> Iterator[Path]:
    yield project
    end_processes_mentioning(str(project))


def test_dev_once_pushes_then_ping_is_healthy_and_then_sees_drift(
    e2e_project: Path, deployment: TestDeployment, dev_env: dict[str, str]
) -> None:
    project = e2e_project
    result = run_app("convex", "dev", "--once", cwd=project, env=dev_env, timeout=120)

    assert result.returncode == 0, result.output
    assert "Convex functions ready!" in result.stdout
    target = f"the self-hosted backend at {deployment.url} (CONVEX_SELF_HOSTED_URL from environment)"
    assert f"target   {target}" in result.stderr
    assert (read_env_file(project / ".env.local") or {}).get("CONVEX_URL") == deployment.url
    assert f"CONVEX_URL in .env.local is now {deployment.url}" in result.stderr
    assert "health.js" in deployment.pushed()["modules"]
    assert ADMIN_KEY.split("|")[1] not in result.output

    # CONVEX_URL now comes from .env.local, as `convex dev` wrote it.
    ping = run_app("convex", "ping", "--json", "--sync", cwd=project, env=app_env(HOME=dev_env["HOME"]))

    assert ping.returncode == 0, ping.output
    document = ping.json()
    assert document["url_source"] == ".env.local"
    assert {c["name"]: c["status"] for c in document["checks"]} == {
        "reachable": "passed",
        "functions": "passed",
        "schema": "passed",
        "sync": "passed",
    }

    schema = project / "convex" / "schema.ts"
    bio = "    bio: v.optional(v.string()),\n"
    schema.write_text(schema.read_text().replace(bio, bio + "    avatar_url: v.optional(v.string()),\n"))
    drifted = run_app("convex", "ping", "--json", cwd=project, env=app_env(HOME=dev_env["HOME"]))

    assert drifted.returncode == 1
    findings = {c["name"]: c for c in drifted.json()["checks"]}["schema"]["findings"]
    assert [(f["code"], f["table"], f["field"]) for f in findings] == [
        ("drift/missing-field", "users", "avatar_url")
    ]


def test_ctrl_c_during_a_running_dev_reaches_the_real_cli(
    e2e_project: Path, deployment: TestDeployment, dev_env: dict[str, str]
) -> None:
    project = e2e_project
    # CONVEX_VERBOSE makes the CLI log its own SIGINT handling.
    proc = start_app(["convex", "dev"], project, {**dev_env, "CONVEX_VERBOSE": "1"})
    try:
        wait_for_output(proc, "Convex functions ready!", timeout=60)
        assert any("node_modules/.bin/convex dev" in p for p in processes_mentioning(str(project)))

        proc.send_signal(signal.SIGINT)
        code, output = finish(proc, timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    assert code == 130, output
    assert "Received SIGINT, cleaning up" in output  # the CLI's own handler ran
    assert left_running(str(project)) == []
    assert deployment.pushed()["pushes"] == 1
