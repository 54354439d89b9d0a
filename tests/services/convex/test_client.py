"""docs/requirements.md, item 3: the client connects when CONVEX_URL is set and fails clearly without it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import jsonschema
import pytest

from cli.services.config.settings import Settings
from cli.services.convex import client
from cli.shared.errors import ConfigError, ExitCode
from tests.loopback.client import TestDeployment
from tests.loopback.real_clients import run_python_child
from tests.support.project import OUTPUT_SCHEMA, app_env, run_app


@pytest.fixture(autouse=True)
def fresh_client() -> None:
    client.reset_convex_client()


def test_get_convex_client_connects_and_queries(test_deployment: TestDeployment, tmp_path: Path) -> None:
    test_deployment.add_query("messages:count", 3)
    # ConvexClient holds the GIL and has no timeout: run it in a child with a deadline.
    code = """
import json
from cli.services.convex import get_convex_client
first = get_convex_client()
second = get_convex_client()
print(json.dumps({"same": first is second, "value": first.query("messages:count")}))
"""
    proc = run_python_child(code, timeout=20, env=app_env(CONVEX_URL=test_deployment.url))

    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"same": True, "value": 3}
    assert any(r.path == "/api/sync" for r in test_deployment.requests())


def test_one_client_per_process_across_threads(tmp_path: Path) -> None:
    settings = Settings(tmp_path, environ={"CONVEX_URL": "http://127.0.0.1:9"})  # never contacted
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda: seen.append(client.get_convex_client(settings))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(seen) == 8 and all(c is seen[0] for c in seen)
    client.reset_convex_client()
    assert client.get_convex_client(settings) is not seen[0]


def test_missing_convex_url_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        client.get_convex_client(Settings(tmp_path, environ={}))

    assert caught.value.message == "CONVEX_URL is not set"
    assert caught.value.hint is not None and "app convex dev" in caught.value.hint
    assert caught.value.exit_code == ExitCode.CONFIG


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("happy-otter-123.convex.cloud", "http:// or https://"),
        ("ftp://happy-otter-123.convex.cloud", "http:// or https://"),
        ("https://", "no host"),
        (" https://happy-otter-123.convex.cloud", "spaces"),
        ("https://happy-otter-123.convex.cloud ", "spaces"),
        ("http://127.0.0.1:notaport", "Port"),
    ],
)
def test_malformed_convex_url_names_the_value(tmp_path: Path, value: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        client.get_convex_client(Settings(tmp_path, environ={"CONVEX_URL": value}))

    assert repr(value) in caught.value.message
    assert "CONVEX_URL from environment" in caught.value.message
    assert problem.lower() in caught.value.message.lower()


def test_cli_exits_3_without_convex_url(tmp_path: Path) -> None:
    result = run_app("convex", "ping", cwd=tmp_path)

    assert result.returncode == 3
    assert result.stderr.splitlines()[0] == "error: CONVEX_URL is not set"
    assert "app convex dev" in result.stderr.splitlines()[1]
    assert result.stdout == ""


def test_cli_exits_3_with_malformed_convex_url(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("CONVEX_URL=localhost:3210\n")

    result = run_app("convex", "ping", "--json", cwd=tmp_path)

    assert result.returncode == 3
    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["error"]["code"] == "config"
    assert "CONVEX_URL from .env.local" in document["error"]["message"]
    assert "'localhost:3210'" in document["error"]["message"]
