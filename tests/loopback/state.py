"""The deployment's state (``Deployment``): functions, documents, pushes, settings, the
request log, misbehaviour and sync connections."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from tests.loopback.functions import FunctionSpec, Outcome, Store, run_function
from tests.loopback.push import (
    DEFAULT_LOG_POLL_SECONDS,
    HEALTH_MODULE,
    HEALTH_PATH,
    SCHEMA_CACHE_SIZE,
    PendingPush,
    PushError,
    PushState,
    evaluate_pushed_schema,
)
from tests.loopback.schema_rules import refusal
from tests.loopback.sync import SyncConnection
from tests.loopback.values import BadPath, Json, JsonObject, canonical_path, convex_error

MISBEHAVIOURS: Final = ("silent", "slow_headers", "status_500", "html_404", "endless_body")
# Request headers worth keeping in the log. Authorization is never stored: only whether
# it was present and its scheme.
LOGGED_HEADERS: Final = (
    "accept",
    "accept-encoding",
    "connection",
    "content-encoding",
    "content-length",
    "content-type",
    "convex-client",
    "host",
    "upgrade",
    "user-agent",
)


@dataclass
class Misbehaviour:
    mode: str
    seconds: float
    paths: list[str] | None
    times: int | None

    def applies_to(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(prefix) for prefix in self.paths)


class Deployment:
    def __init__(self, version: str, instance_name: str, ping_interval: float) -> None:
        self.default_version = version
        self.default_instance_name = instance_name
        self.default_ping_interval = ping_interval
        self.version = version
        self.instance_name = instance_name
        self.ping_interval = ping_interval
        self.admin_key: str | None = None
        self.functions: dict[str, FunctionSpec] = {}
        self.store = Store()
        self.requests: list[JsonObject] = []
        self.sync_messages: list[JsonObject] = []
        self.misbehaviour: Misbehaviour | None = None
        self.connections: set[SyncConnection] = set()
        self.ts = time.time_ns()
        self.release_silence = asyncio.Event()
        self.shutting_down = False
        # Set by serve() once the port is known.
        self.url = ""
        self.cloud_url: str | None = None
        self.site_url: str | None = None
        self.push = PushState()
        self.schema_cache: dict[str, str] = {}
        self.log_poll_seconds = DEFAULT_LOG_POLL_SECONDS
        # Set to release log pollers at once (shutdown, reset).
        self.log_wake = asyncio.Event()
        # Replaced by a new Event after each logged request (wait_request).
        self.request_arrived = asyncio.Event()

    # -- state -------------------------------------------------------------------------

    def advance_ts(self) -> int:
        self.ts = max(self.ts + 1, time.time_ns())
        return self.ts

    def broadcast(self, mutator: SyncConnection | None) -> None:
        for connection in list(self.connections):
            connection.refresh(always=connection is mutator)

    def lookup(self, raw_path: object, expected_kind: str | None) -> FunctionSpec | Outcome:
        try:
            path = canonical_path(raw_path)
        except BadPath as error:
            return Outcome(success=False, error_message=str(error))
        # System functions first: a deployment's own cannot be shadowed.
        spec = FunctionSpec.system(path) or self.functions.get(path)
        if spec is None:
            return Outcome(
                success=False,
                error_message=f"Could not find public function for '{path}'. Did you forget "
                "to run `npx convex dev` or `npx convex deploy`?",
            )
        if expected_kind is not None and spec.kind != expected_kind:
            return Outcome(
                success=False,
                error_message=f"Trying to execute {path} as {expected_kind.capitalize()}, "
                f"but it is defined as {spec.kind.capitalize()}.",
            )
        return spec

    def call(self, raw_path: object, args: JsonObject, expected_kind: str | None) -> Outcome:
        found = self.lookup(raw_path, expected_kind)
        if isinstance(found, Outcome):
            return found
        return run_function(found, args, self.store)

    def run_query_for_sync(self, udf_path: str, args: JsonObject) -> Outcome:
        return self.call(udf_path, args, "query")

    async def close_connections(self) -> None:
        connections = list(self.connections)
        self.connections.clear()
        for connection in connections:
            connection.outbox.put_nowait(None)
        for connection in connections:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.ws.close(code=1001), timeout=2.0)

    async def reset(self) -> None:
        self.version = self.default_version
        self.instance_name = self.default_instance_name
        self.ping_interval = self.default_ping_interval
        self.admin_key = None
        self.cloud_url = None
        self.site_url = None
        self.push = PushState()
        self.log_poll_seconds = DEFAULT_LOG_POLL_SECONDS
        self.wake_log_pollers()
        self.functions.clear()
        self.store = Store()
        self.misbehaviour = None
        self._wake_silenced()
        await self.close_connections()
        self.requests.clear()
        self.sync_messages.clear()

    def _wake_silenced(self) -> None:
        self.release_silence.set()
        self.release_silence = asyncio.Event()

    def wake_log_pollers(self) -> None:
        self.log_wake.set()
        if not self.shutting_down:
            self.log_wake = asyncio.Event()

    # -- admin key and pushes ----------------------------------------------------------

    def check_admin(self, request: web.Request) -> web.Response | None:
        """None if the request carries ``Authorization: Convex <key>`` with the configured
        admin key (any key when none is configured), else the backend's 401."""
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if not header:
            return convex_error(401, "MissingAccessToken", "An access token is required")
        if scheme != "Convex" or not key:
            return convex_error(401, "BadAdminKey", "The provided admin key was invalid for this instance")
        if self.admin_key is not None and not secrets.compare_digest(key.encode(), self.admin_key.encode()):
            return convex_error(401, "BadAdminKey", "The provided admin key was invalid for this instance")
        return None

    @property
    def canonical_cloud_url(self) -> str:
        return self.cloud_url or self.url

    @property
    def canonical_site_url(self) -> str:
        # A self-hosted backend also serves HTTP actions under /http on its API port.
        return self.site_url or f"{self.url}/http"

    async def evaluate_schema(self, source: str) -> str:
        """``evaluate_pushed_schema``, remembered by source (the CLI sends the same bundle to
        evaluate_schema and then to start_push), then refused as the backend refuses it
        (schema_rules): PushError with its code and message, after the backend's prefix."""
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        cached = self.schema_cache.get(key)
        if cached is None:
            cached = await evaluate_pushed_schema(source)
            self.schema_cache[key] = cached
            while len(self.schema_cache) > SCHEMA_CACHE_SIZE:
                self.schema_cache.pop(next(iter(self.schema_cache)))
        try:
            export = json.loads(cached)
        except ValueError as error:  # the backend's serde error text is not modelled
            raise PushError("InvalidSchema", f"Hit an error while evaluating your schema:\n{error}") from None
        refused = refusal(export)
        if refused is not None:
            # Application::evaluate_schema (crates/application/src/lib.rs) adds this line.
            raise PushError(refused.code, f"Hit an error while evaluating your schema:\n{refused.message}")
        return cached

    def set_environment_variable(self, name: str, value: str | None) -> None:
        """Set (None: delete) one; its subscribers (the CLI's watch loop) see the change."""
        if self.store.set_environment_variable(name, value):
            self.advance_ts()
            self.broadcast(mutator=None)

    @property
    def environment_variables(self) -> dict[str, str]:
        return {doc["name"]: doc["value"] for doc in self.store.environment_variable_documents()}

    def commit_push(self, pending: PendingPush) -> None:
        """Make a finished push current. ``health:ping`` follows the pushed code: served
        (returning the pushed schema's export) when the push has the health module and a
        schema, removed otherwise."""
        self.push.modules = dict(pending.modules)
        self.push.schema = pending.schema
        self.push.functions_dir = pending.functions_dir
        self.push.udf_server_version = pending.udf_server_version
        self.push.pushes += 1
        if HEALTH_MODULE in pending.modules and pending.schema is not None:
            value = {"status": "ok", "schema": pending.schema}
            spec = FunctionSpec.parse({"path": HEALTH_PATH, "kind": "query", "returns": value})
            self.functions[spec.path] = spec
        else:
            self.functions.pop(HEALTH_PATH, None)
        self.broadcast(mutator=None)

    # -- logging -------------------------------------------------------------------------

    def record_request(self, request: web.Request) -> JsonObject:
        authorization = request.headers.get("Authorization")
        scheme = authorization.split(" ", 1)[0] if authorization else None
        record: JsonObject = {
            "seq": len(self.requests),
            "time": time.time(),
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "headers": {name: request.headers[name] for name in LOGGED_HEADERS if name in request.headers},
            "auth_present": authorization is not None,
            "auth_scheme": scheme,
            "body": None,
            "misbehaviour": None,
        }
        self.requests.append(record)
        self.request_arrived.set()
        self.request_arrived = asyncio.Event()
        return record

    async def wait_request(self, path: str, count: int, timeout: float) -> JsonObject:
        """The ``count``-th logged request for ``path``, once it has arrived."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            matches = [record for record in self.requests if record["path"] == path]
            if len(matches) >= count:
                return matches[count - 1]
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{len(matches)} of {count} requests for {path} within {timeout} s")
            arrived = self.request_arrived
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), timeout=remaining)

    def record_sync_message(self, path: str, message: Json) -> None:
        if isinstance(message, dict):
            entry = {key: value for key, value in message.items() if key != "value"}
            if message.get("type") != "Authenticate" and "value" in message:
                entry["value"] = message["value"]
        else:
            entry = {"type": None, "raw": message}
        entry["_path"] = path
        self.sync_messages.append(entry)

    # -- misbehaviour --------------------------------------------------------------------

    def take_misbehaviour(self, path: str) -> Misbehaviour | None:
        current = self.misbehaviour
        if current is None or not current.applies_to(path):
            return None
        if current.times is not None:
            current.times -= 1
            if current.times <= 0:
                self.misbehaviour = None
        return current
