"""The real Convex CLI (`npx convex dev --once`, convex 1.48.0, self-hosted mode) pushes this
project to the loopback test deployment, which then serves `health:ping` with the pushed
schema's export.

Every CLI run is a child process in its own session with a deadline (run_convex_cli); every
raw request here has a socket timeout.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.loopback.client import TestDeployment
from tests.loopback.real_clients import run_convex_cli
from tests.support.project import REPO, schema_export

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"
REQUEST_TIMEOUT = 10.0
READY = "Convex functions ready!"
GENERATED = {"api.d.ts", "api.js", "dataModel.d.ts", "server.d.ts", "server.js"}
PUSH_SEQUENCE = [
    "/api/v1/get_canonical_urls",
    "/api/get_config_hashes",
    "/api/deploy2/evaluate_schema",
    "/api/deploy2/start_push",
    "/api/deploy2/wait_for_schema",
    "/api/deploy2/finish_push",
]
# Requests that arrive alongside the push, or not at all under --once.
INCIDENTAL = {"/api/stream_function_logs", "/api/deploy2/report_push_completed"}


# -- helpers ---------------------------------------------------------------------------


@pytest.fixture
def deployment(test_deployment: TestDeployment) -> TestDeployment:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return test_deployment


def run_dev_once(project: Path, deployment: TestDeployment, admin_key: str) -> tuple[int, str]:
    # The CLI's tsc run is no part of the push API, and costs a second of CPU time a push.
    args = ["dev", "--once", "--typecheck", "disable"]
    result = run_convex_cli(
        args, cwd=project, url=deployment.url, admin_key=admin_key, home=project.parent / "home"
    )
    return result.returncode, result.stdout + result.stderr


def dev_once(project: Path, deployment: TestDeployment) -> str:
    """Run `convex dev --once` with the right key; assert it succeeded; return its output."""
    returncode, output = run_dev_once(project, deployment, ADMIN_KEY)
    assert returncode == 0, output + deployment.server_log()
    assert READY in output, output + deployment.server_log()
    assert "✖" not in output, output  # the CLI's failure mark: nothing failed on the way
    return output


def local_schema(project: Path) -> Any:
    """convex/schema.ts of `project` evaluated locally by the real `convex/server`."""
    return schema_export(project)


def post_json(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def get_json(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def http_ping(url: str) -> Any:
    status, body = post_json(
        f"{url}/api/query", json.dumps({"path": "health:ping", "args": {}, "format": "json"}).encode()
    )
    assert status == 200, body
    return body


def sync_ping(url: str) -> Any:
    """health:ping over the WebSocket sync protocol: the value of the first QueryUpdated."""

    async def run() -> Any:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.ws_connect(f"{url.replace('http', 'ws', 1)}/api/1.48.0/sync") as ws,
        ):
            await ws.send_json({"type": "Connect", "sessionId": secrets.token_hex(16), "connectionCount": 0})
            add = {"type": "Add", "queryId": 0, "udfPath": "health:ping", "args": [{}]}
            await ws.send_json(
                {"type": "ModifyQuerySet", "baseVersion": 0, "newVersion": 1, "modifications": [add]}
            )
            async for message in ws:
                parsed = json.loads(message.data)
                if parsed.get("type") == "Transition":
                    (modification,) = parsed["modifications"]
                    assert modification["type"] == "QueryUpdated", modification
                    return modification["value"]
            raise AssertionError("the sync connection closed without a Transition")

    return asyncio.run(asyncio.wait_for(run(), timeout=REQUEST_TIMEOUT))


def env_file(project: Path) -> dict[str, str]:
    values = {}
    for line in (project / ".env.local").read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            values[name.strip()] = value.strip()
    return values


def push_paths(deployment: TestDeployment) -> list[str]:
    return [r.path for r in deployment.requests() if r.path not in INCIDENTAL]


def generated_differences(project: Path) -> list[str]:
    """The files of `project`'s convex/_generated/ (as the CLI just wrote them) that are not
    the repository's committed ones byte for byte, or that only one side has."""
    written, committed = project / "convex" / "_generated", REPO / "convex" / "_generated"
    names = {p.name for p in written.iterdir()} | {p.name for p in committed.iterdir()}
    return sorted(
        name
        for name in names
        if not (written / name).is_file()
        or not (committed / name).is_file()
        or (written / name).read_bytes() != (committed / name).read_bytes()
    )


def add_function(project: Path) -> None:
    (project / "convex" / "pings.ts").write_text(
        'import { queryGeneric } from "convex/server";\n\n'
        "export const latest = queryGeneric({ args: {}, handler: async () => null });\n",
        encoding="utf-8",
    )


def add_table(project: Path) -> None:
    schema = project / "convex" / "schema.ts"
    text = schema.read_text(encoding="utf-8")
    head, sep, tail = text.rpartition("\n});")
    assert sep, text
    table = '\n  pings: defineTable({ at: v.number(), note: v.optional(v.string()) }).index("by_at", ["at"]),'
    schema.write_text(head + table + sep + tail, encoding="utf-8")


# -- the real CLI ----------------------------------------------------------------------


@pytest.mark.slow
def test_pushes_the_project_then_an_edit_then_nothing_and_health_ping_serves_each(
    deployment: TestDeployment, convex_project: Path
) -> None:
    # One project through three pushes, as a developer makes them: the real CLI costs about
    # two seconds of CPU time a push, so the first push's assertions ride along here.
    output = dev_once(convex_project, deployment)

    env = env_file(convex_project)
    assert env["CONVEX_URL"] == deployment.url
    assert env["CONVEX_SITE_URL"] not in ("", env["CONVEX_URL"])
    # Codegen runs by default. Its first phase writes stubs (`api: AnyApi`) whatever the
    # deployment answers; the typed api below comes from the final phase, which needs the
    # start_push analysis of the root component.
    generated = convex_project / "convex" / "_generated"
    assert {path.name for path in generated.iterdir()} >= GENERATED
    api = (generated / "api.d.ts").read_text(encoding="utf-8")
    assert "health: typeof health" in api and "AnyApi" not in api, api
    # convex/_generated/ is committed, as Convex recommends: it must be what the CLI writes
    # for the project's functions today (copy_project leaves it out, so this one is fresh).
    stale = generated_differences(convex_project)
    assert stale == [], (
        f"convex/_generated/ is not what `convex dev` writes for convex/ today ({', '.join(stale)}): "
        "run `app convex dev --once` against a deployment (`make loopback`) and commit convex/_generated/"
    )

    assert push_paths(deployment) == PUSH_SEQUENCE
    requests = deployment.requests()
    assert all(r.auth_scheme == "Convex" for r in requests)
    assert not [r for r in requests if r.unserved]
    start_push = next(r for r in requests if r.path == "/api/deploy2/start_push")
    assert start_push.headers.get("content-encoding") == "br"
    assert start_push.body["changedModules"] == ["health.js"] and start_push.body["schema"] is True
    # The key is never kept or logged.
    assert ADMIN_KEY not in json.dumps([r.body for r in requests]) + deployment.server_log() + output
    assert "Added table indexes:\n  [+] users.by_wallet" in output, output  # from start_push's index diff

    pushed = deployment.pushed()
    assert pushed["modules"] == ["health.js"] and pushed["pushes"] == 1
    first, expected = pushed["schema"], local_schema(convex_project)
    assert json.loads(first) == expected

    body = http_ping(env["CONVEX_URL"])
    assert body["status"] == "success", body
    assert body["value"] == {"status": "ok", "schema": first}
    assert sync_ping(deployment.url) == {"status": "ok", "schema": first}

    # An edit: the new table and its index are pushed and served, and a new function module
    # is pushed; a committed _generated/ no longer matches (its api.d.ts lacks the module).
    add_table(convex_project)
    add_function(convex_project)
    output = dev_once(convex_project, deployment)
    assert "Added table indexes:\n  [+] pings.by_at" in output and "users.by_wallet" not in output, output
    assert generated_differences(convex_project) == ["api.d.ts"]
    expected = local_schema(convex_project)
    assert "pings" in [table["tableName"] for table in expected["tables"]]
    pushed = deployment.pushed()
    assert pushed["pushes"] == 2 and pushed["schema"] != first
    value = http_ping(deployment.url)["value"]
    assert json.loads(value["schema"]) == expected

    # Nothing changed: the CLI sends only the module's hash, which the deployment knows.
    deployment.clear_log()
    output = dev_once(convex_project, deployment)
    assert "table indexes" not in output, output
    start_push = next(r for r in deployment.requests() if r.path == "/api/deploy2/start_push")
    # (two entry points share a chunk, which esbuild puts in _deps/)
    modules = ["health.js", "pings.js"]
    assert start_push.body["changedModules"] == []
    assert [m for m in start_push.body["unchangedModules"] if not m.startswith("_deps/")] == modules
    pushed = deployment.pushed()
    assert pushed["pushes"] == 3 and [m for m in pushed["modules"] if not m.startswith("_deps/")] == modules
    assert json.loads(http_ping(deployment.url)["value"]["schema"]) == expected


@pytest.mark.slow
def test_a_schema_that_throws_fails_the_push(deployment: TestDeployment, convex_project: Path) -> None:
    schema = convex_project / "convex" / "schema.ts"
    schema.write_text(
        schema.read_text(encoding="utf-8") + '\nthrow new Error("schema exploded");\n', encoding="utf-8"
    )
    returncode, output = run_dev_once(convex_project, deployment, ADMIN_KEY)
    assert returncode == 1 and READY not in output, output
    assert "Hit an error while evaluating your schema" in output and "schema exploded" in output, output
    assert deployment.pushed()["pushes"] == 0
    assert "/api/deploy2/finish_push" not in [r.path for r in deployment.requests()]


# -- the push API on the wire ----------------------------------------------------------


def test_push_routes_require_the_admin_key(deployment: TestDeployment) -> None:
    url = f"{deployment.url}/api/v1/get_canonical_urls"
    assert get_json(url) == (
        401,
        {"code": "MissingAccessToken", "message": "An access token is required"},
    )
    status, body = get_json(url, {"Authorization": "Convex nope"})
    assert status == 401 and body["code"] == "BadAdminKey"
    status, body = get_json(url, {"Authorization": f"Bearer {ADMIN_KEY}"})
    assert status == 401 and body["code"] == "BadAdminKey"
    status, body = get_json(url, {"Authorization": f"Convex {ADMIN_KEY}"})
    assert status == 200
    assert body == {"convexCloudUrl": deployment.url, "convexSiteUrl": f"{deployment.url}/http"}
    # The key in a push body must match too.
    status, body = post_json(
        f"{deployment.url}/api/get_config_hashes",
        json.dumps({"version": "1.48.0", "adminKey": "other"}).encode(),
        {"Authorization": f"Convex {ADMIN_KEY}"},
    )
    assert status == 401 and body["code"] == "BadAdminKey"


def test_push_bodies_are_decoded_per_content_encoding(deployment: TestDeployment) -> None:
    auth = {"Authorization": f"Convex {ADMIN_KEY}"}
    body = json.dumps({"version": "1.48.0", "adminKey": ADMIN_KEY}).encode()
    status, answer = post_json(
        f"{deployment.url}/api/get_config_hashes", gzip.compress(body), {**auth, "Content-Encoding": "gzip"}
    )
    assert status == 200 and answer["config"] == {"functions": "convex/"} and answer["moduleHashes"] == []
    status, answer = post_json(
        f"{deployment.url}/api/deploy2/finish_push", b"\x00not brotli", {**auth, "Content-Encoding": "br"}
    )
    assert status == 400 and answer["code"] == "BadRequestBody"
    finish = json.dumps({"adminKey": ADMIN_KEY, "startPush": {"pushId": "nope"}, "dryRun": False}).encode()
    status, answer = post_json(f"{deployment.url}/api/deploy2/finish_push", finish, auth)
    assert status == 400 and answer["code"] == "PushNotStarted"
    assert deployment.pushed()["pushes"] == 0


def test_log_polls_are_held_but_never_block_shutdown() -> None:
    with TestDeployment() as deployment:
        deployment.set_info(log_poll_seconds=0.2)
        started = time.monotonic()
        status, body = get_json(
            f"{deployment.url}/api/stream_function_logs?cursor=0", {"Authorization": "Convex k"}
        )
        assert status == 200 and body["entries"] == [] and body["newCursor"] > 0
        assert time.monotonic() - started >= 0.15

        deployment.set_info(log_poll_seconds=120)
        host, port = deployment.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(
                b"GET /api/stream_function_logs?cursor=0 HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Convex k\r\nConnection: close\r\n\r\n"
            )
            deployment.wait_for_request("/api/stream_function_logs", count=2)  # held by the server
            started = time.monotonic()
            deployment.stop()
            assert time.monotonic() - started < 3.0
            answer = sock.recv(65536)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 200"), answer


def test_a_schema_export_larger_than_a_pipe_buffer_arrives_whole(deployment: TestDeployment) -> None:
    # Node cuts piped output at 64 KiB when process.exit() follows a write: the evaluator
    # must hand over a large export whole.
    table: dict[str, list[object]] = {"indexes": [], "searchIndexes": [], "vectorIndexes": []}
    tables = [{"tableName": f"table_{n}", **table} for n in range(3000)]
    export = json.dumps({"tables": tables, "schemaValidation": True})
    assert len(export) > 3 * 64 * 1024
    source = f"export default {{ tables: {{}}, export: () => {json.dumps(export)} }};\n"
    schema = {"path": "schema.js", "source": source, "environment": "isolate"}
    app = {"changedModules": [], "unchangedModuleHashes": [], "schema": schema}
    body = {"adminKey": ADMIN_KEY, "appDefinition": app, "dryRun": True, "functions": "convex/"}
    status, answer = post_json(
        f"{deployment.url}/api/deploy2/start_push",
        json.dumps(body).encode(),
        {"Authorization": f"Convex {ADMIN_KEY}"},
    )
    assert status == 200, answer
    assert answer["analysis"][""]["schema"] == json.loads(export)
