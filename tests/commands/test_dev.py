"""`app convex dev`: preflight, exit codes, signals and hints, with real processes.

Signal and exit-code tests use a stand-in `node_modules/.bin/convex` (a small Node
script) so each behaviour is certain; the real CLI is run where it can be: its own
help, its refusal of the deprecated --local flag and the no-network failure, and
end to end against the test deployment in test_convex_dev_e2e.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.project import (
    app_env,
    end_processes_mentioning,
    finish,
    gone,
    left_running,
    project_schema,
    run_app,
    start_app,
    wait_for_output,
    write_schema,
)
from tests.support.standin import (
    copy_project_with_standin_cli,
    grandchild_pid,
    standin_env,
    standin_log,
    wait_until_ready,
)


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[Path]:
    project = copy_project_with_standin_cli(tmp_path / "standin")
    yield project
    end_processes_mentioning(str(project))  # only matters when a test failed midway


# -- the real CLI ----------------------------------------------------------------------


@pytest.mark.slow
def test_args_after_double_dash_reach_convex_dev(project: Path) -> None:
    result = run_app("convex", "dev", "--", "--help", cwd=project, env=app_env(HOME=str(project / "home")))

    assert result.returncode == 0, result.output
    assert "Usage: convex dev [options]" in result.stdout
    assert result.stderr == ""  # straight to the CLI: no preflight, no target line


def test_args_beyond_help_get_the_preflight(standin: Path) -> None:
    result = run_app("convex", "dev", "--", "--help", "--once", cwd=standin, env=standin_env(standin))

    assert result.returncode == 0, result.output
    assert "node_modules/.bin/convex dev --help --once" in result.stderr
    assert "check    ✔" in result.stderr


@pytest.mark.slow
def test_exit_1_of_the_real_cli_propagates(project: Path) -> None:
    # `convex dev --local` is deprecated in 1.48 and exits 1; our --local is the supported way.
    result = run_app("convex", "dev", "--", "--local", cwd=project, env=app_env(HOME=str(project / "home")))

    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_no_deployment_and_no_network_ends_with_the_download_hint(project: Path) -> None:
    began = time.monotonic()
    result = run_app(
        "convex", "dev", "--once", cwd=project, env=app_env(HOME=str(project / "home")), timeout=120
    )

    assert result.returncode != 0, result.output
    assert time.monotonic() - began < 60
    assert "local no-account deployment" in result.stderr
    assert "error: the local backend could not be downloaded" in result.stderr
    assert "hint: Connect to the internet" in result.stderr
    assert left_running(str(project)) == []


# -- preflight -------------------------------------------------------------------------


def test_missing_node_exits_3_before_starting(standin: Path, tmp_path: Path) -> None:
    env = standin_env(standin, PATH=str(tmp_path / "no-bin"))

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert result.returncode == 3
    assert result.stderr.splitlines()[:2] == [
        "error: node is not on PATH",
        "hint: Install Node.js 20 or newer (https://nodejs.org), then run `make setup`.",
    ]
    assert standin_log(standin) == []


def test_preflight_asks_node_for_its_version_once(standin: Path, tmp_path: Path) -> None:
    """With the schema's export cached by an earlier check, nothing else reports node's version."""
    assert run_app("convex", "check", "--no-typecheck", cwd=standin).returncode == 0
    bin_dir, calls = tmp_path / "logging-bin", tmp_path / "node-calls"
    bin_dir.mkdir()
    real_node = shutil.which("node")
    (bin_dir / "node").write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {real_node} "$@"\n')
    (bin_dir / "node").chmod(0o755)
    env = standin_env(standin, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert result.returncode == 0, result.output
    assert "✔ 7 checks passed" in result.stderr
    assert calls.read_text().splitlines().count("--version") == 1


def test_failing_schema_check_stops_dev_before_it_starts(standin: Path) -> None:
    write_schema(
        standin, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    result = run_app("convex", "dev", cwd=standin, env=standin_env(standin))

    assert result.returncode == 1
    assert "push/reserved-index" in result.stdout
    assert "error: the schema check failed, so convex dev was not started" in result.stderr
    assert "--no-check" in result.stderr
    assert standin_log(standin) == []


def test_no_check_starts_dev_despite_the_schema(standin: Path) -> None:
    write_schema(
        standin, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    result = run_app("convex", "dev", "--no-check", cwd=standin, env=standin_env(standin))

    assert result.returncode == 0, result.output
    assert standin_log(standin)[0].startswith("started ")
    assert 'terminal {"tty":false,"foreground":false}' in standin_log(standin)


def test_target_and_local_mode(standin: Path) -> None:
    result = run_app(
        "convex", "dev", "--local", "--", "--tail-logs", "disable", cwd=standin, env=standin_env(standin)
    )

    assert result.returncode == 0, result.output
    assert "target   Convex's local no-account deployment (--local)" in result.stderr
    started = json.loads(standin_log(standin)[0].removeprefix("started "))
    assert started == {"argv": ["dev", "--tail-logs", "disable"], "agent": "anonymous"}


def test_target_named_with_its_source(standin: Path) -> None:
    (standin / ".env.local").write_text("CONVEX_DEPLOYMENT=dev:happy-otter-123\n")

    result = run_app("convex", "dev", cwd=standin, env=standin_env(standin))

    assert "target   deployment dev:happy-otter-123 (CONVEX_DEPLOYMENT from .env.local)" in result.stderr


def test_production_deploy_key_is_warned_about_and_never_printed(standin: Path) -> None:
    key = "prod:happy-otter-123|0123456789abcdef0123456789abcdef"
    env = standin_env(standin, CONVEX_DEPLOY_KEY=key)

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert "warning: CONVEX_DEPLOY_KEY is a production key" in result.stderr
    assert "target   a production deployment (CONVEX_DEPLOY_KEY from environment)" in result.stderr
    assert "0123456789abcdef" not in result.output


def test_self_hosted_url_without_admin_key_exits_3(standin: Path) -> None:
    env = standin_env(standin, CONVEX_SELF_HOSTED_URL="http://127.0.0.1:3210")

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert result.returncode == 3
    assert "CONVEX_SELF_HOSTED_ADMIN_KEY is not" in result.stderr
    assert standin_log(standin) == []


# -- exit codes, output and .env.local --------------------------------------------------


@pytest.mark.parametrize("code", [0, 1, 7])
def test_exit_codes_propagate(standin: Path, code: int) -> None:
    result = run_app("convex", "dev", cwd=standin, env=standin_env(standin, STANDIN_CODE=str(code)))

    assert result.returncode == code, result.output


def test_once_without_a_completed_push_is_a_failure(standin: Path) -> None:
    env = standin_env(standin, STANDIN_CODE="0", STANDIN_OUTPUT="Error: 401 Unauthorized")

    result = run_app("convex", "dev", "--once", cwd=standin, env=env)

    assert result.returncode == 1
    assert "Error: 401 Unauthorized" in result.stdout  # the child's own output is shown
    assert "exited 0 without reporting 'Convex functions ready!'" in result.stderr


def test_recognised_failure_gets_a_hint(standin: Path) -> None:
    output = "✖ Cannot prompt for input in non-interactive terminals. (Welcome to Convex!)"
    env = standin_env(standin, STANDIN_CODE="1", STANDIN_OUTPUT=output)

    result = run_app("convex", "dev", cwd=standin, env=env)

    assert result.returncode == 1
    assert "error: convex dev needed to ask a question, but there is no terminal to ask on" in result.stderr


def test_new_convex_url_in_env_local_is_reported(standin: Path) -> None:
    (standin / ".env.local").write_text("CONVEX_URL=http://127.0.0.1:1111\n")
    env = standin_env(standin, STANDIN_MODE="write-url", STANDIN_URL="http://127.0.0.1:2222")

    result = run_app("convex", "dev", "--once", cwd=standin, env=env)

    assert result.returncode == 0, result.output
    assert (
        "CONVEX_URL in .env.local is now http://127.0.0.1:2222 (was http://127.0.0.1:1111)" in result.stderr
    )


# -- signals ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 143)])
def test_signals_reach_the_child_and_nothing_is_left(standin: Path, sig: signal.Signals, code: int) -> None:
    proc = start_app(["convex", "dev"], standin, standin_env(standin, STANDIN_MODE="run"))
    wait_for_output(proc, "Convex functions ready!")
    wait_until_ready(standin)
    grandchild = grandchild_pid(standin)

    proc.send_signal(sig)
    exit_code, _ = finish(proc)

    assert exit_code == code
    assert f"got {sig.name}" in standin_log(standin)
    assert gone(grandchild)
    assert left_running(str(standin)) == []


@pytest.mark.waits
def test_child_ignoring_sigint_is_killed_after_the_grace_period(standin: Path) -> None:
    proc = start_app(["convex", "dev"], standin, standin_env(standin, STANDIN_MODE="hang"))
    wait_until_ready(standin)
    grandchild = grandchild_pid(standin)

    proc.send_signal(signal.SIGINT)
    exit_code, _ = finish(proc, timeout=30)

    assert exit_code == 128 + signal.SIGKILL
    assert "ignored SIGINT" in standin_log(standin)
    assert gone(grandchild)
    assert left_running(str(standin)) == []


@pytest.mark.waits
def test_timeout_stops_a_hanging_child(standin: Path) -> None:
    began = time.monotonic()
    result = run_app(
        "convex", "dev", "--timeout", "1", cwd=standin, env=standin_env(standin, STANDIN_MODE="hang")
    )

    assert result.returncode == 4
    assert "did not finish within 1 s" in result.stderr
    assert time.monotonic() - began < 1 + 5 + 5  # the deadline, the grace period, start-up
    assert left_running(str(standin)) == []


@pytest.mark.waits
def test_timeout_holds_when_the_child_closes_its_output_and_runs_on(standin: Path) -> None:
    began = time.monotonic()
    env = standin_env(standin, STANDIN_MODE="quiet-hang")
    result = run_app("convex", "dev", "--once", "--timeout", "1", cwd=standin, env=env, timeout=30)

    assert result.returncode == 4, result.output
    assert time.monotonic() - began < 1 + 5 + 5
    assert left_running(str(standin)) == []
