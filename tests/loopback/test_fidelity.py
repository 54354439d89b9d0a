"""The loopback test deployment speaks the real protocols: the four official Convex clients
accept it, and each misbehaviour mode looks on the wire like what it stands for.

Every client runs in a child process with a deadline (the PyPI ConvexClient holds the GIL
and has no timeouts); every raw request here has a short socket timeout.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from tests.loopback.client import PROJECT_ROOT, TestDeployment, TestDeploymentError
from tests.loopback.real_clients import closed_port_url, run_python_child

CLIENT_TIMEOUT = 30.0
JS_CLIENTS = PROJECT_ROOT / "tests" / "loopback" / "official_js_clients.mjs"
SCHEMA = '{"tables":[],"schemaValidation":true}'


# -- helpers ---------------------------------------------------------------------------


def register_messages_app(deployment: TestDeployment) -> None:
    """The functions official_js_clients.mjs and the Python scenarios expect."""
    deployment.add_insert_mutation("messages:send", "messages")
    deployment.add_list_query("messages:list", "messages")
    deployment.add_count_query("messages:count", "messages")
    deployment.add_failing("messages:boom", "kaboom")
    deployment.add_failing("messages:boomMutation", "mutation kaboom", kind="mutation")
    deployment.add_failing("messages:convexError", "typed failure", error_data={"code": "E_TYPED", "n": 1})
    deployment.add_action("jobs:run", {"done": True})


def run_python_scenario(code: str) -> dict[str, Any]:
    """Run ``code`` in a child Python; it must print ``RESULT <json>`` as its last line."""
    completed = run_python_child(textwrap.dedent(code), timeout=CLIENT_TIMEOUT)
    assert completed.returncode == 0, completed.stderr[-4000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, completed.stdout + completed.stderr[-4000:]
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def run_js_scenario(url: str, scenario: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node must be on PATH for the npm client fidelity tests"
    completed = subprocess.run(
        [node, str(JS_CLIENTS), url, scenario],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=CLIENT_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr[-4000:]
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def http_get(url: str, timeout: float = 5.0) -> tuple[int, str, str]:
    """(status, content type, body) without raising on HTTP errors."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def http_post(
    url: str, body: bytes | dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 5.0
) -> tuple[int, Any]:
    """(status, parsed JSON body) of a POST, without raising on HTTP errors."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def call(url: str, kind: str, path: str, args: Any = None, fmt: str = "json") -> tuple[int, Any]:
    return http_post(f"{url}/api/{kind}", {"path": path, "args": args or {}, "format": fmt})


def decode_ts(encoded: str) -> int:
    value: int = struct.unpack("<Q", base64.b64decode(encoded))[0]
    return value


# -- the official clients --------------------------------------------------------------


def test_pypi_convex_client_query_mutation_subscription(test_deployment: TestDeployment) -> None:
    register_messages_app(test_deployment)
    result = run_python_scenario(
        f"""
        import json
        from convex import ConvexClient, ConvexError, ConvexInt64
        client = ConvexClient({test_deployment.url!r})
        out = {{"count_before": client.query("messages:count")}}
        subscription = client.subscribe("messages:list")
        updates = iter(subscription)
        out["initial"] = next(updates)
        out["id"] = client.mutation("messages:send", {{"body": "hi", "n": 3, "big": ConvexInt64(2**40)}})
        seen = next(updates)
        out["seen"] = [{{**d, "big": d["big"].value, "big_type": type(d["big"]).__name__}} for d in seen]
        out["count_after"] = client.query("messages:count")
        out["action"] = client.action("jobs:run")
        for name, run in [("query_error", lambda: client.query("messages:boom")),
                          ("mutation_error", lambda: client.mutation("messages:boomMutation")),
                          ("convex_error", lambda: client.query("messages:convexError"))]:
            try:
                run()
                out[name] = None
            except ConvexError as error:
                out[name] = {{"type": "ConvexError", "message": str(error), "data": error.data}}
            except Exception as error:
                out[name] = {{"type": type(error).__name__, "message": str(error)}}
        out["count_final"] = client.query("messages:count")
        print("RESULT " + json.dumps(out), flush=True)
        """
    )
    assert result["count_before"] == 0
    assert result["initial"] == []
    assert result["seen"][0]["_id"] == result["id"]
    assert result["seen"][0]["body"] == "hi"
    assert result["seen"][0]["big"] == 2**40
    assert result["seen"][0]["big_type"] == "ConvexInt64"
    assert result["seen"][0]["n"] == 3.0
    assert result["count_after"] == 1
    assert result["action"] == {"done": True}
    assert result["query_error"]["type"] == "Exception"
    assert "Uncaught Error: kaboom" in result["query_error"]["message"]
    assert "mutation kaboom" in result["mutation_error"]["message"]
    assert result["convex_error"]["type"] == "ConvexError"
    assert result["convex_error"]["data"] == {"code": "E_TYPED", "n": 1}
    assert result["count_final"] == 1  # a failed mutation changes nothing
    stored = test_deployment.documents("messages")
    assert stored[0]["big"] == {"$integer": base64.b64encode(struct.pack("<q", 2**40)).decode()}
    messages = test_deployment.sync_messages()
    assert {m["_path"] for m in messages} == {"/api/sync"}
    assert messages[0]["type"] == "Connect"
    assert any(m["type"] == "Mutation" and m["udfPath"] == "messages:send" for m in messages)


def test_pypi_http_client(test_deployment: TestDeployment) -> None:
    register_messages_app(test_deployment)
    result = run_python_scenario(
        f"""
        import json
        from convex import ConvexError
        from convex.http_client import ConvexHttpClient
        client = ConvexHttpClient({test_deployment.url!r})
        out = {{"before": client.query("messages:count"),
               "id": client.mutation("messages:send", {{"body": "over http"}}),
               "after": client.query("messages:count"),
               "action": client.action("jobs:run")}}
        for name, path in [("error", "messages:boom"), ("missing", "messages:nope"),
                           ("convex_error", "messages:convexError")]:
            try:
                client.query(path)
                out[name] = None
            except ConvexError as error:
                out[name] = {{"type": "ConvexError", "message": str(error), "data": error.data}}
            except Exception as error:
                out[name] = {{"type": type(error).__name__, "message": str(error)}}
        print("RESULT " + json.dumps(out), flush=True)
        """
    )
    assert result["before"] == 0
    assert result["after"] == 1
    assert isinstance(result["id"], str)
    assert result["action"] == {"done": True}
    assert result["error"]["type"] == "ConvexExecutionError"
    assert "Uncaught Error: kaboom" in result["error"]["message"]
    assert result["missing"]["message"].startswith("Could not find public function for 'messages:nope'")
    # convex-py's http_client.py (_request_api): a dict errorData without a `message`
    # attribute is raised as ConvexError("Convex error", errorData), not with its text.
    assert result["convex_error"] == {
        "type": "ConvexError",
        "message": "Convex error",
        "data": {"code": "E_TYPED", "n": 1},
    }
    sent = [r for r in test_deployment.requests() if r.path.startswith("/api/")]
    assert [r.path for r in sent[:4]] == ["/api/query", "/api/mutation", "/api/query", "/api/action"]
    assert sent[1].body == {
        "path": "messages:send",
        "format": "convex_encoded_json",
        "args": {"body": "over http"},
    }
    assert sent[0].headers["convex-client"] == "python-0.8.1"
    assert not sent[0].auth_present


def test_npm_http_client(test_deployment: TestDeployment) -> None:
    register_messages_app(test_deployment)
    result = run_js_scenario(test_deployment.url, "http")
    assert result["before"] == 0
    assert result["after"] == 1
    assert result["list"][0]["_id"] == result["id"]
    assert result["list"][0]["n"] == 7
    assert result["action"] == {"done": True}
    assert "Uncaught Error: kaboom" in result["error"]["message"]
    assert result["missing"]["message"].startswith("Could not find public function for 'messages:missing'")
    sent = test_deployment.requests()
    assert sent[1].path == "/api/mutation"
    assert sent[1].headers["convex-client"] == "npm-1.48.0"
    # The npm client posts args as a one-element array in convex_encoded_json.
    assert sent[1].body == {
        "path": "messages:send",
        "format": "convex_encoded_json",
        "args": [{"body": "from npm http", "n": 7}],
    }


def test_npm_convex_client_over_websocket(test_deployment: TestDeployment) -> None:
    register_messages_app(test_deployment)
    result = run_js_scenario(test_deployment.url, "ws")
    assert result["initial"] == []
    assert result["before"] == 0
    assert [doc["_id"] for doc in result["afterMutation"]] == [result["id"]]
    assert result["afterMutation"][0]["body"] == "from npm ws"
    assert result["after"] == 1
    assert result["action"] == {"done": True}
    assert "Uncaught Error: kaboom" in result["error"]["message"]
    paths = {m["_path"] for m in test_deployment.sync_messages()}
    assert paths == {"/api/1.48.0/sync"}


# -- the HTTP API shapes (convex-backend crates/local_backend/src/router.rs) --------------


def test_info_routes(test_deployment: TestDeployment) -> None:
    url = test_deployment.url
    status, _, text = http_get(f"{url}/")
    assert status == 200 and "deployment is running" in text
    assert http_get(f"{url}/version")[::2] == (200, "1.29.0")
    assert http_get(f"{url}/instance_version")[::2] == (200, "1.29.0")
    assert http_get(f"{url}/instance_name")[::2] == (200, "loopback-test")
    assert http_get(f"{url}/version")[1].startswith("text/plain")
    test_deployment.set_info(version="1.30.1", instance_name="happy-otter-123")
    assert http_get(f"{url}/version")[2] == "1.30.1"
    assert http_get(f"{url}/instance_name")[2] == "happy-otter-123"
    test_deployment.reset()
    assert http_get(f"{url}/version")[2] == "1.29.0"


def test_function_call_shapes(test_deployment: TestDeployment) -> None:
    url = test_deployment.url
    register_messages_app(test_deployment)
    test_deployment.register("lib:default", "query", returns="the default export")
    test_deployment.register(
        "messages:typed", "mutation", insert="typed", args={"body": "string", "n": "optional number"}
    )

    assert call(url, "query", "messages:count") == (200, {"status": "success", "value": 0, "logLines": []})
    assert call(url, "query", "messages.js:count")[1]["value"] == 0
    assert call(url, "query", "lib")[1]["value"] == "the default export"
    assert call(url, "query", "lib.js")[1]["value"] == "the default export"

    status, body = call(url, "mutation", "messages:send", {"body": "x"})
    assert status == 200 and body["status"] == "success" and isinstance(body["value"], str)

    status, body = call(url, "query", "messages:boom")
    assert status == 200
    assert body["status"] == "error" and "kaboom" in body["errorMessage"]
    assert "errorData" not in body
    body = call(url, "query", "messages:convexError")[1]
    assert body["errorData"] == {"code": "E_TYPED", "n": 1}

    body = call(url, "query", "nope:fn")[1]
    assert body["status"] == "error"
    assert body["errorMessage"].startswith("Could not find public function for 'nope:fn'")

    body = call(url, "mutation", "messages:typed", {"n": 1})[1]
    assert body["status"] == "error" and "ArgumentValidationError" in body["errorMessage"]
    assert call(url, "mutation", "messages:typed", {"body": "ok"})[1]["status"] == "success"

    body = call(url, "query", "messages:send")[1]
    assert body["status"] == "error" and "defined as Mutation" in body["errorMessage"]

    status, body = http_post(f"{url}/api/query", b"{not json")
    assert status == 400 and body["code"] == "BadJsonBody" and body["message"]
    status, body = call(url, "query", "not a path::")
    assert status == 400 and body["code"] == "BadConvexFunctionIdentifier"

    # The HTTP API's /api/run route and int64 in both formats.
    test_deployment.add_query("nums:big", {"$integer": base64.b64encode(struct.pack("<q", 5)).decode()})
    assert http_post(f"{url}/api/run/nums/big", {"args": {}, "format": "json"})[1]["value"] == "5"
    assert call(url, "query", "nums:big", fmt="convex_encoded_json")[1]["value"] == {
        "$integer": "BQAAAAAAAAA="
    }


def test_log_lines_and_health_ping_schema(test_deployment: TestDeployment) -> None:
    test_deployment.set_schema(SCHEMA, commit="abc123")
    test_deployment.add_query("debug:chatty", 1, logLines=["hello from the function"])
    body = call(test_deployment.url, "query", "health:ping")[1]
    assert body["value"] == {"status": "ok", "schema": SCHEMA, "commit": "abc123"}
    assert call(test_deployment.url, "query", "debug:chatty")[1]["logLines"] == ["hello from the function"]


def test_request_log_never_keeps_authorization(test_deployment: TestDeployment) -> None:
    test_deployment.add_query("a:b", 1)
    secret = "sekrit-deploy-key-value"
    http_post(
        f"{test_deployment.url}/api/query",
        {"path": "a:b", "args": {}},
        headers={"Authorization": f"Convex {secret}", "Convex-Client": "app-cli-0.1.0"},
    )
    (received,) = test_deployment.requests()
    assert received.auth_present and received.auth_scheme == "Convex"
    assert received.headers["convex-client"] == "app-cli-0.1.0"
    assert "authorization" not in received.headers
    raw = json.dumps(test_deployment.command("requests"))
    assert secret not in raw
    assert test_deployment.requests(clear=True) and test_deployment.requests() == []


# -- the sync protocol on the wire (convex-js src/browser/sync/protocol.ts) --------------


async def _next_message(ws: aiohttp.ClientWebSocketResponse, skip_pings: bool = True) -> Any:
    while True:
        message = await ws.receive_json(timeout=5.0)
        if skip_pings and message.get("type") == "Ping":
            continue
        return message


async def _sync_session(url: str) -> dict[str, Any]:
    ws_url = url.replace("http://", "ws://")
    timeout = aiohttp.ClientTimeout(total=10.0)
    out: dict[str, Any] = {}
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(f"{ws_url}/api/sync") as a,
        session.ws_connect(f"{ws_url}/api/1.48.0/sync") as b,
    ):
        for ws in (a, b):
            await ws.send_json(
                {
                    "type": "Connect",
                    "sessionId": "s",
                    "connectionCount": 0,
                    "lastCloseReason": None,
                    "clientTs": 0,
                }
            )
            await ws.send_json(
                {
                    "type": "ModifyQuerySet",
                    "baseVersion": 0,
                    "newVersion": 1,
                    "modifications": [
                        {"type": "Add", "queryId": 0, "udfPath": "messages:count", "args": [{}]}
                    ],
                }
            )
        out["a_first"] = await _next_message(a)
        out["b_first"] = await _next_message(b)
        await a.send_json(
            {"type": "Mutation", "requestId": 0, "udfPath": "messages:send", "args": [{"body": "ws"}]}
        )
        out["a_response"] = await _next_message(a)
        out["a_after"] = await _next_message(a)
        out["b_after"] = await _next_message(b)
        await a.send_json(
            {"type": "Mutation", "requestId": 1, "udfPath": "messages:boomMutation", "args": [{}]}
        )
        out["a_failed"] = await _next_message(a)
        out["a_after_failed"] = await _next_message(a)
        await b.send_json({"type": "Action", "requestId": 0, "udfPath": "jobs:run", "args": [{}]})
        out["b_action"] = await _next_message(b)
        await b.send_json(
            {"type": "Authenticate", "tokenType": "User", "value": "jwt-secret", "baseVersion": 0}
        )
        out["b_auth"] = await _next_message(b)
        await b.send_json({"type": "Event", "eventType": "x", "event": {}})
        await b.send_json(
            {
                "type": "ModifyQuerySet",
                "baseVersion": 1,
                "newVersion": 2,
                "modifications": [{"type": "Remove", "queryId": 0}],
            }
        )
        out["b_removed"] = await _next_message(b)
        out["ping"] = await _next_message(a, skip_pings=False)
        while out["ping"].get("type") != "Ping":
            out["ping"] = await _next_message(a, skip_pings=False)
    return out


def test_sync_protocol_versions_mutations_and_subscriptions(
    test_deployment: TestDeployment,
) -> None:
    register_messages_app(test_deployment)
    test_deployment.set_info(ping_interval=0.2)
    out = asyncio.run(asyncio.wait_for(_sync_session(test_deployment.url), timeout=15.0))

    first = out["a_first"]
    assert first["type"] == "Transition"
    assert first["startVersion"] == {"querySet": 0, "identity": 0, "ts": "AAAAAAAAAAA="}
    assert first["endVersion"]["querySet"] == 1 and first["endVersion"]["identity"] == 0
    assert first["modifications"] == [
        {"type": "QueryUpdated", "queryId": 0, "value": 0, "logLines": [], "journal": None}
    ]
    # Versions are per connection: b starts from zero too.
    assert out["b_first"]["startVersion"]["querySet"] == 0

    response = out["a_response"]
    assert response["type"] == "MutationResponse" and response["success"] is True
    assert response["requestId"] == 0 and isinstance(response["result"], str)
    after = out["a_after"]
    assert after["type"] == "Transition"
    assert after["startVersion"] == first["endVersion"]
    assert decode_ts(after["endVersion"]["ts"]) >= decode_ts(response["ts"])
    assert after["modifications"][0]["value"] == 1
    # The other connection's subscription sees the write.
    assert out["b_after"]["modifications"][0]["value"] == 1
    assert out["b_after"]["startVersion"] == out["b_first"]["endVersion"]

    failed = out["a_failed"]
    assert failed["type"] == "MutationResponse" and failed["success"] is False
    assert "mutation kaboom" in failed["result"] and "ts" not in failed
    # Even a failed mutation is followed by a Transition (the Python client waits for one).
    assert out["a_after_failed"]["type"] == "Transition"
    assert out["a_after_failed"]["modifications"] == []
    assert decode_ts(out["a_after_failed"]["endVersion"]["ts"]) > decode_ts(after["endVersion"]["ts"])

    assert out["b_action"] == {
        "type": "ActionResponse",
        "requestId": 0,
        "success": True,
        "result": {"done": True},
        "logLines": [],
    }
    assert out["b_auth"]["type"] == "Transition"
    assert out["b_auth"]["endVersion"]["identity"] == 1
    assert out["b_removed"]["modifications"] == [{"type": "QueryRemoved", "queryId": 0}]
    assert out["b_removed"]["endVersion"]["querySet"] == 2
    assert out["ping"] == {"type": "Ping"}

    logged = test_deployment.sync_messages()
    auth = [m for m in logged if m["type"] == "Authenticate"]
    assert auth and "value" not in auth[0] and "jwt-secret" not in json.dumps(logged)


def test_sync_rejects_a_wrong_base_version(test_deployment: TestDeployment) -> None:
    async def session() -> Any:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10.0)) as s:
            ws_url = test_deployment.url.replace("http://", "ws://") + "/api/sync"
            async with s.ws_connect(ws_url) as ws:
                await ws.send_json(
                    {"type": "ModifyQuerySet", "baseVersion": 3, "newVersion": 4, "modifications": []}
                )
                return await _next_message(ws)

    message = asyncio.run(asyncio.wait_for(session(), timeout=10.0))
    assert message["type"] == "FatalError"


# -- misbehaviour ------------------------------------------------------------------------


def test_silent_accepts_and_never_answers(test_deployment: TestDeployment) -> None:
    test_deployment.misbehave("silent")
    with pytest.raises((TimeoutError, urllib.error.URLError)) as caught:
        http_get(f"{test_deployment.url}/instance_name", timeout=0.5)
    if isinstance(caught.value, urllib.error.URLError):
        assert isinstance(caught.value.reason, TimeoutError)
    # The control channel still works while the port is silent.
    assert [r.misbehaviour for r in test_deployment.requests()] == ["silent"]
    test_deployment.behave()
    assert http_get(f"{test_deployment.url}/instance_name")[2] == "loopback-test"


def test_silent_websocket_upgrade(test_deployment: TestDeployment) -> None:
    test_deployment.misbehave("silent", paths=["/api/sync"])

    async def connect() -> None:
        async with aiohttp.ClientSession() as session:
            ws_url = test_deployment.url.replace("http://", "ws://") + "/api/sync"
            await session.ws_connect(ws_url, timeout=aiohttp.ClientWSTimeout(ws_close=0.5))

    with pytest.raises(TimeoutError):
        asyncio.run(asyncio.wait_for(connect(), timeout=0.5))
    # Other paths are unaffected by a path-limited misbehaviour.
    assert http_get(f"{test_deployment.url}/version")[0] == 200


def test_slow_headers(test_deployment: TestDeployment) -> None:
    test_deployment.misbehave("slow_headers", seconds=0.6)
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        http_get(f"{test_deployment.url}/version", timeout=0.2)
    started = time.monotonic()
    status, _, text = http_get(f"{test_deployment.url}/version", timeout=5.0)
    assert (status, text) == (200, "1.29.0")
    assert time.monotonic() - started >= 0.5


def test_status_500(test_deployment: TestDeployment) -> None:
    test_deployment.add_query("a:b", 1)
    test_deployment.misbehave("status_500")
    status, body = call(test_deployment.url, "query", "a:b")
    assert status == 500 and body["code"] == "InternalServerError" and body["message"]
    status, content_type, _ = http_get(f"{test_deployment.url}/instance_name")
    assert status == 500 and content_type.startswith("application/json")


def test_html_404(test_deployment: TestDeployment) -> None:
    test_deployment.misbehave("html_404")
    status, content_type, text = http_get(f"{test_deployment.url}/instance_name")
    assert status == 404 and content_type.startswith("text/html") and "<html>" in text


def test_misbehaviour_for_a_number_of_times(test_deployment: TestDeployment) -> None:
    test_deployment.misbehave("status_500", times=2)
    assert [http_get(f"{test_deployment.url}/version")[0] for _ in range(3)] == [500, 500, 200]


def test_endless_body_never_ends(test_deployment: TestDeployment) -> None:
    test_deployment.add_query("a:b", 1)
    test_deployment.misbehave("endless_body")
    host, port = test_deployment.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=2.0)
    try:
        body = json.dumps({"path": "a:b", "args": {}, "format": "json"})
        connection.request("POST", "/api/query", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200
        received = b""
        deadline = time.monotonic() + 5.0
        while len(received) < 64 * 1024 and time.monotonic() < deadline:
            chunk = response.read1(16 * 1024)
            assert chunk, "the body ended"
            received += chunk
        assert len(received) >= 64 * 1024
        assert received.startswith(b'{"status":"success","value":"')
    finally:
        connection.close()


def test_refused_and_silent_tcp_helpers(refused_url: str, silent_tcp_url: str) -> None:
    assert closed_port_url() != refused_url
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(_address(refused_url), timeout=1.0).close()
    with socket.create_connection(_address(silent_tcp_url), timeout=1.0) as sock:
        sock.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.recv(1)


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


# -- lifecycle -------------------------------------------------------------------------


@pytest.fixture
def own_deployment() -> Iterator[TestDeployment]:
    deployment = TestDeployment(version="9.9.9", instance_name="own", ping_interval=30)
    try:
        yield deployment.start()
    finally:
        deployment.close()


def test_stop_ends_the_process_even_while_a_request_hangs(own_deployment: TestDeployment) -> None:
    assert http_get(f"{own_deployment.url}/version")[2] == "9.9.9"
    pid = own_deployment.pid
    own_deployment.misbehave("silent")
    with socket.create_connection(_address(own_deployment.url), timeout=1.0) as hanging:
        hanging.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        started = time.monotonic()
        own_deployment.stop()
        assert time.monotonic() - started < 5.0
        assert not own_deployment.is_running
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(_address(own_deployment.url), timeout=1.0).close()
    with pytest.raises(TestDeploymentError):
        own_deployment.command("ping")


def test_unknown_command_is_an_error_not_a_hang(test_deployment: TestDeployment) -> None:
    with pytest.raises(TestDeploymentError, match="unknown command"):
        test_deployment.command("no_such_command")
    with pytest.raises(TestDeploymentError, match="exactly one of"):
        test_deployment.register("a:b", "query")
    assert test_deployment.command("ping") == "pong"
