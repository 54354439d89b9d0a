"""Bad input of every kind: one line of cause, one of advice, the documented exit code,
no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.loopback.client import TestDeployment
from tests.support.project import SCHEMA_HEADER, app_env, run_app, schema_export, write_schema


def assert_two_lines(stderr: str, first: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), stderr
    assert first in lines[0]


def test_a_latin1_byte_in_a_comment_is_no_failure(tmp_path: Path) -> None:
    """npm dotenv reads the file as UTF-8 with U+FFFD for bad bytes, so the Convex CLI works;
    so does ping: it goes on to the URL (where nothing listens, port 9)."""
    (tmp_path / ".env.local").write_bytes(b"CONVEX_URL=http://127.0.0.1:9\n# caf\xe9\n")

    result = run_app("convex", "ping", "--timeout", "2", cwd=tmp_path)

    assert result.returncode == 4
    assert "CONVEX_URL from .env.local" in result.stdout
    assert "UTF-8" not in result.output


@pytest.mark.parametrize(
    ("url", "problem"),
    [("http://a..b:1", "host name is not valid"), ("http://" + "a" * 300 + ".com", "host name is not valid")],
)
def test_malformed_host_exits_3(tmp_path: Path, url: str, problem: str) -> None:
    result = run_app("convex", "ping", "--url", url, cwd=tmp_path)

    assert result.returncode == 3
    assert_two_lines(result.stderr, problem)


def test_url_with_a_password_is_refused_without_showing_it(tmp_path: Path) -> None:
    result = run_app(
        "convex", "ping", "--url", "https://me:hunter2@happy-otter-123.convex.cloud", cwd=tmp_path
    )

    assert result.returncode == 3
    assert_two_lines(result.stderr, "user name or password")
    assert "hunter2" not in result.output


@pytest.mark.parametrize("command", ["check", "ping", "dev"])
@pytest.mark.parametrize("value", ["nan", "inf"])
def test_timeout_must_be_a_finite_number(project: Path, command: str, value: str) -> None:
    result = run_app("convex", command, "--timeout", value, cwd=project)

    assert result.returncode == 2
    assert "--timeout" in result.output


@pytest.mark.parametrize("kind", ["folder", "device"])
def test_schema_path_that_is_not_a_regular_file(project: Path, kind: str) -> None:
    schema = project / "convex" / "schema.ts"
    schema.unlink()
    if kind == "folder":
        schema.mkdir()
    else:
        schema.symlink_to("/dev/null")

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["layout"]["status"] == "failed"
    assert checks["layout"]["findings"] == [
        {
            "code": "layout/not-a-file",
            "message": "convex/schema.ts is not a regular file",
            "file": "convex/schema.ts",
            "severity": "error",
        }
    ]
    assert checks["schema"] == {**checks["schema"], "status": "skipped", "message": "needs convex/schema.ts"}
    assert "Traceback" not in result.output


def test_a_deployed_schema_of_the_wrong_shape(project: Path, test_deployment: TestDeployment) -> None:
    test_deployment.set_schema(json.dumps({"tables": {"users": 1}}))

    result = run_app("convex", "ping", "--url", test_deployment.url, "--json", cwd=project)

    assert result.returncode == 1
    check = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert check["findings"][0]["code"] == "drift/no-schema"


@pytest.mark.waits
def test_local_schema_that_never_evaluates_does_not_starve_sync(
    project: Path, test_deployment: TestDeployment
) -> None:
    test_deployment.set_schema(json.dumps(schema_export(project)))
    block = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n"  # never returns, uses no CPU
    write_schema(project, SCHEMA_HEADER + block + "export default defineSchema({});\n")

    began = time.monotonic()
    result = run_app(
        "convex", "ping", "--url", test_deployment.url, "--sync", "--timeout", "3", "--json", cwd=project
    )

    # The deadline holds within the app; the process, start-up included, ends soon after.
    # (Start-up is timed apart: with the CPUs busy it alone can take a second.)
    assert result.json()["duration_ms"] <= 3000 + 500
    assert time.monotonic() - began <= 3 + 3
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["sync"]["status"] == "passed", checks["sync"]
    assert checks["schema"]["status"] == "warning"
    assert "app convex check" in checks["schema"]["hint"]
    assert result.returncode == 0


def test_a_reader_that_leaves_early_is_not_an_error(project: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "cli", "convex", "check", "--no-typecheck"],
        cwd=project,
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `app convex check | true` does
    try:
        err = proc.stderr.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    assert proc.returncode == 0
    assert err == b""
