"""`app convex dev` names the real cause of a failure, from what the pinned CLI printed and the
settings in force: the real CLI where it can run here (against the loopback test deployment,
which also answers as Convex's management API), a stand-in printing the CLI's own message
where it cannot (a local backend needs a download)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import (
    Result,
    app_env,
    end_processes_mentioning,
    project_schema,
    run_app,
    write_schema,
)
from tests.support.standin import copy_project_with_standin_cli, standin_env, standin_log

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"


def real_cli_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    # No login (an empty HOME), and CI=1 as in CI: it only turns off the error reporter.
    return app_env(HOME=str(tmp_path / "home"), CI="1", **settings)


def hint_lines(stderr: str) -> tuple[str, str]:
    """The wrapper's error and hint lines (after whatever the CLI itself printed)."""
    lines = stderr.splitlines()
    error = next(line for line in reversed(lines) if line.startswith("error: "))
    hint = lines[lines.index(error) + 1]
    assert hint.startswith("hint: "), lines
    return error, hint


@pytest.fixture
def dev_project(project: Path) -> Iterator[Path]:
    yield project
    end_processes_mentioning(str(project))


@pytest.fixture
def keyed_deployment(test_deployment: TestDeployment) -> TestDeployment:
    """The test deployment, with an admin key that the tests' settings do not hold."""
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return test_deployment


def failing_dev_once(project: Path, env: dict[str, str], cli_said: str) -> tuple[Result, str, str]:
    """`app convex dev --once` with the real CLI, which must fail saying `cli_said`: the
    result, and our error and hint lines after it."""
    result = run_app("convex", "dev", "--once", cwd=project, env=env, timeout=120)
    assert result.returncode == 1, result.output
    assert cli_said in result.output, result.output
    error, hint = hint_lines(result.stderr)
    return result, error, hint


@pytest.mark.slow
def test_a_rejected_self_hosted_admin_key_names_that_key_and_the_url(
    dev_project: Path, keyed_deployment: TestDeployment, tmp_path: Path
) -> None:
    test_deployment = keyed_deployment
    url, wrong_key = test_deployment.url, "loopback-test|not-the-key"
    env = real_cli_env(tmp_path, CONVEX_SELF_HOSTED_URL=url, CONVEX_SELF_HOSTED_ADMIN_KEY=wrong_key)

    result, error, hint = failing_dev_once(dev_project, env, "401 Unauthorized: BadAdminKey")

    assert error == (
        f"error: the self-hosted backend at {test_deployment.url} rejected its admin key "
        "(CONVEX_SELF_HOSTED_ADMIN_KEY from environment)"
    )
    assert "CONVEX_SELF_HOSTED_ADMIN_KEY" in hint and "generate_admin_key" in hint
    assert "not-the-key" not in result.stderr.split("error: ")[-1]
    # The deployment's side: the CLI stopped at its first request; nothing was pushed or written.
    assert test_deployment.pushed()["pushes"] == 0
    assert "/api/deploy2/start_push" not in {r.path for r in test_deployment.requests()}
    assert not (dev_project / ".env.local").exists()


@pytest.mark.slow
def test_not_logged_in_with_convex_deployment_set_says_log_in(dev_project: Path, tmp_path: Path) -> None:
    env = real_cli_env(tmp_path, CONVEX_DEPLOYMENT="dev:happy-otter-123")

    _, error, hint = failing_dev_once(dev_project, env, "let's get you logged in")

    assert error == "error: you are not logged in to Convex, which CONVEX_DEPLOYMENT from environment needs"
    assert "`npx convex login`" in hint
    assert "CONVEX_DEPLOYMENT" not in hint  # not the advice to configure what is configured


@pytest.mark.slow
def test_a_deploy_key_the_deployment_refuses_is_named(
    dev_project: Path, keyed_deployment: TestDeployment, tmp_path: Path
) -> None:
    test_deployment = keyed_deployment
    env = real_cli_env(
        tmp_path,
        CONVEX_DEPLOY_KEY="dev:other-deployment-456|0123456789abcdef",
        CONVEX_PROVISION_HOST=test_deployment.url,  # where the CLI asks which deployment a key is for
    )

    result, error, hint = failing_dev_once(dev_project, env, "401 Unauthorized: AuthenticationFailed")

    assert error == (
        "error: the deployment refused its deploy key (CONVEX_DEPLOY_KEY from environment): "
        "a key of another deployment, or a revoked one"
    )
    assert "CONVEX_DEPLOY_KEY" in hint
    assert "0123456789abcdef" not in result.output


def test_a_deploy_key_for_another_deployment_than_convex_deployment_is_warned_about(tmp_path: Path) -> None:
    standin = copy_project_with_standin_cli(tmp_path / "standin")
    env = standin_env(
        standin,
        CONVEX_DEPLOY_KEY="dev:other-deployment-456|0123456789abcdef",
        CONVEX_DEPLOYMENT="dev:happy-otter-123",
    )

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert result.returncode == 0, result.output
    assert (
        "warning: CONVEX_DEPLOY_KEY is for dev:other-deployment-456, but CONVEX_DEPLOYMENT from "
        "environment names dev:happy-otter-123: convex dev will push to dev:other-deployment-456"
    ) in result.stderr
    assert "0123456789abcdef" not in result.output


@pytest.mark.parametrize(
    "said",
    [
        "A local backend is still running on port 3210. Please stop it and run this command again.",
        "A different local backend anonymous-other is running on selected port 3210",
        "Requested port 3210 is not available",
    ],
)
def test_a_port_in_use_for_the_local_deployment_is_named(tmp_path: Path, said: str) -> None:
    standin = copy_project_with_standin_cli(tmp_path / "standin")
    env = standin_env(standin, STANDIN_OUTPUT=f"✖ {said}", STANDIN_CODE="1")

    result = run_app("convex", "dev", "--local", cwd=standin, env=env)

    assert result.returncode == 1
    error, hint = hint_lines(result.stderr)
    assert error == "error: port 3210 is taken by another local Convex backend"
    assert "port 3210" in hint


# -- arguments that only ask for help or the version -----------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], ["-V"]])
def test_help_and_version_go_straight_to_convex_dev_without_preflight(
    tmp_path: Path, args: list[str]
) -> None:
    standin = copy_project_with_standin_cli(tmp_path / "standin")
    write_schema(
        standin, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    result = run_app("convex", "dev", "--", *args, cwd=standin, env=standin_env(standin))

    assert result.returncode == 0, result.output  # the schema would fail the preflight
    started = json.loads(standin_log(standin)[0].removeprefix("started "))
    assert started["argv"] == ["dev", *args]
    assert "target" not in result.stderr and "check" not in result.stderr
