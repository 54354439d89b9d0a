"""Deploy and admin keys never appear in anything check or ping print, --debug included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import app_env, run_app, schema_export

DEPLOY_KEY = "prod:keep-out-of-output|0123456789abcdef0123456789abcdef"
ADMIN_KEY = "self-hosted|fedcba9876543210fedcba9876543210"


@pytest.fixture
def keyed_env(project: Path) -> dict[str, str]:
    (project / ".env.local").write_text(f"CONVEX_SELF_HOSTED_ADMIN_KEY={ADMIN_KEY}\n")
    return app_env(CONVEX_DEPLOY_KEY=DEPLOY_KEY)


def assert_no_keys(text: str) -> None:
    for key in (DEPLOY_KEY, ADMIN_KEY):
        for part in key.split("|"):
            assert part not in text


@pytest.mark.parametrize("args", [[], ["--json"], ["--debug"], ["--json", "--debug"]])
def test_check_never_prints_keys(project: Path, keyed_env: dict[str, str], args: list[str]) -> None:
    result = run_app("convex", "check", "--no-typecheck", *args, cwd=project, env=keyed_env)

    assert result.returncode == 0, result.output
    assert_no_keys(result.output)


@pytest.mark.parametrize("args", [[], ["--json"], ["--debug"], ["--json", "--debug"]])
def test_ping_never_prints_or_sends_keys(
    project: Path, keyed_env: dict[str, str], test_deployment: TestDeployment, args: list[str]
) -> None:
    test_deployment.set_schema(json.dumps(schema_export(project)))

    result = run_app(
        "convex", "ping", "--url", test_deployment.url, "--sync", *args, cwd=project, env=keyed_env
    )

    assert result.returncode == 0, result.output
    assert_no_keys(result.output)
    assert not any(r.auth_present for r in test_deployment.requests())


@pytest.mark.parametrize("args", [["--debug"], ["--json", "--debug"]])
def test_failing_ping_never_prints_keys(
    project: Path, keyed_env: dict[str, str], refused_url: str, args: list[str]
) -> None:
    result = run_app(
        "convex", "ping", "--url", refused_url, "--timeout", "2", *args, cwd=project, env=keyed_env
    )

    assert result.returncode == 4
    assert "ConnectionRefusedError" in result.output  # --debug shows the underlying error
    assert_no_keys(result.output)
