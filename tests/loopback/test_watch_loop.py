"""The loopback carries the real ``convex dev`` watch loop: after a push the deployment refuses,
the CLI subscribes to ``_system/cli/queryEnvironmentVariables`` (system_udfs.py) and waits for a
file or an environment variable to change, as against a real deployment, instead of dying.

The real CLI runs in its own session with a deadline on every wait; its process group is
killed whatever happens. Sync clients here have socket timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import select
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from cli.shared.process import signal_group
from tests.loopback.client import TestDeployment
from tests.loopback.real_clients import CONVEX_BIN, convex_cli_env

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"
REQUEST_TIMEOUT = 10.0
PUSH_TIMEOUT = 60.0
READY = "Convex functions ready!"
ENV_QUERY = "_system/cli/queryEnvironmentVariables:default"
TABLE_QUERY = "_system/cli/queryTable:default"
BY_ID = '.index("by_wallet", ["wallet_address"])'


@pytest.fixture
def deployment(test_deployment: TestDeployment) -> TestDeployment:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return test_deployment


# -- the system queries over the sync protocol ------------------------------------------


class SyncClient:
    """A sync session as the CLI's ``subscribe`` opens one: Connect, Authenticate as Admin,
    then ModifyQuerySet."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.query_set = 0

    async def start(self) -> None:
        await self.ws.send_json({"type": "Connect", "sessionId": secrets.token_hex(16), "connectionCount": 0})
        await self.ws.send_json(
            {"type": "Authenticate", "baseVersion": 0, "tokenType": "Admin", "value": ADMIN_KEY}
        )
        await self.transition()  # the new identity's (empty) query set

    async def add(self, query_id: int, udf_path: str, args: dict[str, Any]) -> None:
        add = {"type": "Add", "queryId": query_id, "udfPath": udf_path, "args": [args]}
        await self.ws.send_json(
            {
                "type": "ModifyQuerySet",
                "baseVersion": self.query_set,
                "newVersion": self.query_set + 1,
                "modifications": [add],
            }
        )
        self.query_set += 1

    async def transition(self) -> list[dict[str, Any]]:
        """The modifications of the next Transition (Pings skipped)."""
        while True:
            message = await asyncio.wait_for(self.ws.receive(), timeout=REQUEST_TIMEOUT)
            assert message.type == aiohttp.WSMsgType.TEXT, message
            parsed = json.loads(message.data)
            if parsed["type"] == "Transition":
                modifications: list[dict[str, Any]] = parsed["modifications"]
                return modifications
            assert parsed["type"] == "Ping", parsed


async def in_sync_session(url: str, scenario: Any) -> Any:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT * 3)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(f"{url.replace('http', 'ws', 1)}/api/1.48.0/sync") as ws,
    ):
        client = SyncClient(ws)
        await client.start()
        return await scenario(client)


def test_environment_variables_are_served_and_a_change_is_a_new_result(deployment: TestDeployment) -> None:
    async def scenario(client: SyncClient) -> None:
        await client.add(0, ENV_QUERY, {})
        (first,) = await client.transition()
        assert (first["type"], first["value"]) == ("QueryUpdated", [])
        # The test's thread may drive the deployment meanwhile: the control channel is separate.
        await asyncio.to_thread(deployment.set_env, "B_KEY", "two")
        await asyncio.to_thread(deployment.set_env, "A_KEY", "one")
        (second,) = await client.transition()
        (third,) = await client.transition()
        assert [doc["name"] for doc in second["value"]] == ["B_KEY"]
        documents = third["value"]
        assert [(doc["name"], doc["value"]) for doc in documents] == [("A_KEY", "one"), ("B_KEY", "two")]
        assert all(set(doc) == {"_id", "_creationTime", "name", "value"} for doc in documents)
        # Setting the same value changes nothing; a new one does, and deleting does.
        await asyncio.to_thread(deployment.set_env, "A_KEY", "one")
        await asyncio.to_thread(deployment.set_env, "A_KEY", "uno")
        (fourth,) = await client.transition()
        assert [(doc["name"], doc["value"]) for doc in fourth["value"]] == [
            ("A_KEY", "uno"),
            ("B_KEY", "two"),
        ]
        assert fourth["value"][0]["_id"] == documents[0]["_id"]  # patched, not replaced
        await asyncio.to_thread(deployment.set_env, "A_KEY", None)
        (fifth,) = await client.transition()
        assert [doc["name"] for doc in fifth["value"]] == ["B_KEY"]

    asyncio.run(asyncio.wait_for(in_sync_session(deployment.url, scenario), timeout=REQUEST_TIMEOUT * 3))


def test_the_table_query_changes_when_its_table_does_and_only_then(deployment: TestDeployment) -> None:
    async def scenario(client: SyncClient) -> None:
        await client.add(0, TABLE_QUERY, {"tableName": "messages"})
        (first,) = await client.transition()
        assert first["type"] == "QueryUpdated" and isinstance(first["value"], float)
        await asyncio.to_thread(deployment.seed, "other", [{"n": 1}])
        await asyncio.to_thread(deployment.seed, "messages", [{"n": 1}])
        # The first Transition after both seeds is the messages one: "other" sent none.
        (second,) = await client.transition()
        assert second["type"] == "QueryUpdated" and second["value"] != first["value"]
        await client.add(1, TABLE_QUERY, {})
        (failed,) = await client.transition()
        assert failed["type"] == "QueryFailed" and "tableName" in failed["errorMessage"]

    asyncio.run(asyncio.wait_for(in_sync_session(deployment.url, scenario), timeout=REQUEST_TIMEOUT * 3))


# -- the real CLI's loop ---------------------------------------------------------------


class Transcript:
    """What a running process writes (stdout and stderr merged), read as it comes."""

    def __init__(self, process: subprocess.Popen[bytes], deployment: TestDeployment) -> None:
        self.process = process
        self.deployment = deployment
        self.seen = b""

    @property
    def text(self) -> str:
        return self.seen.decode("utf-8", errors="replace")

    def wait_for(self, text: str, count: int = 1, timeout: float = PUSH_TIMEOUT) -> float:
        """Read until ``text`` has appeared ``count`` times; the seconds it took."""
        assert self.process.stdout is not None
        started = time.monotonic()
        deadline = started + timeout
        while self.text.count(text) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} (x{count}) did not appear in {timeout} s:\n{self.text}"
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, (
                    f"the CLI exited ({self.process.wait()}) before {text!r} (x{count}):\n{self.text}"
                )
                self.seen += chunk
        return time.monotonic() - started

    def read_to_end(self, timeout: float) -> None:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                return
            self.seen += chunk


@contextlib.contextmanager
def convex_dev(project: Path, deployment: TestDeployment) -> Iterator[Transcript]:
    """The pinned ``convex dev`` watching ``project`` (its own session; every process of it is
    killed on the way out)."""
    home = project.parent / "home"
    home.mkdir(exist_ok=True)
    process = subprocess.Popen(
        # tsc is no part of the loop, and costs a second of CPU time a push.
        [str(CONVEX_BIN), "dev", "--typecheck", "disable"],
        cwd=project,
        env=convex_cli_env(url=deployment.url, admin_key=ADMIN_KEY, home=home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield Transcript(process, deployment)
    finally:
        # Its group id is not reused while any process of the group lives.
        signal_group(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for_subscription(
    deployment: TestDeployment, udf_path: str, timeout: float = PUSH_TIMEOUT
) -> dict[str, Any]:
    """The sync ModifyQuerySet modification that added ``udf_path``, once it has arrived."""
    deadline = time.monotonic() + timeout
    while True:
        for message in deployment.sync_messages():
            for change in message.get("modifications") or []:
                if message["type"] == "ModifyQuerySet" and change.get("udfPath") == udf_path:
                    found: dict[str, Any] = change
                    return found
        assert time.monotonic() < deadline, f"no subscription to {udf_path}: {deployment.sync_messages()}"
        time.sleep(0.05)


def start_pushes(deployment: TestDeployment) -> int:
    return len([r for r in deployment.requests() if r.path == "/api/deploy2/start_push"])


@pytest.mark.slow
def test_convex_dev_survives_a_refused_schema_and_pushes_the_fix(
    deployment: TestDeployment, project: Path
) -> None:
    schema = project / "convex" / "schema.ts"
    good = schema.read_text(encoding="utf-8")
    assert BY_ID in good
    url = deployment.url
    refusal = (
        f"✖ Error: Unable to start push to {url}\n"
        f"✖ Error fetching POST  {url}/api/deploy2/start_push 400 Bad Request: IndexNameReserved: "
        "Hit an error while pushing:\n"
        "Hit an error while evaluating your schema:\n"
        'In table "users" cannot name an index "by_id" because the name is reserved. Indexes may not '
        'start with an underscore or be named "by_id" or "by_creation_time".\n'
    )
    with convex_dev(project, deployment) as cli:
        cli.wait_for(READY)
        assert deployment.pushed()["pushes"] == 1

        # Break: the deployment refuses the schema; the CLI says so and waits.
        schema.write_text(good.replace(BY_ID, BY_ID + '.index("by_id", ["username"])'), encoding="utf-8")
        cli.wait_for(refusal)
        subscription = wait_for_subscription(deployment, ENV_QUERY)
        assert subscription["args"] == [{}] and "componentPath" not in subscription
        assert deployment.pushed()["pushes"] == 1

        # An environment variable changes: the CLI pushes again (and is refused again). Counted
        # from here, should the edit have reached the CLI's file watcher as two events.
        refused, started = cli.text.count(refusal), start_pushes(deployment)
        deployment.set_env("LOOPBACK_TEST", "1")
        deployment.wait_for_request("/api/deploy2/start_push", count=started + 1, timeout=PUSH_TIMEOUT)
        cli.wait_for(refusal, count=refused + 1)
        assert cli.process.poll() is None

        # Fix: the next push is taken.
        schema.write_text(good, encoding="utf-8")
        cli.wait_for(READY, count=2)
        pushed = deployment.pushed()
        assert pushed["pushes"] >= 2 and "by_id" not in pushed["schema"]
        assert not [r for r in deployment.requests() if r.unserved], cli.text

        cli.process.send_signal(signal.SIGINT)
        cli.read_to_end(timeout=30)
        assert cli.process.wait(timeout=30) == 130, cli.text
        deadline = time.monotonic() + 10
        while group_alive(cli.process.pid):  # esbuild and the like go with it
            assert time.monotonic() < deadline, "processes of the CLI's group outlived it"
            time.sleep(0.05)
