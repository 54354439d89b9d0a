"""A loopback stand-in for a Convex deployment, for tests only.

Run it as ``python -m tests.support.deployment`` from the project root. It binds
127.0.0.1 on a free port (one port for HTTP and the WebSocket sync protocol), prints
exactly one line ``READY http://127.0.0.1:PORT`` on stdout, then obeys JSON-line
commands on stdin (one object per line, each answered by one JSON line on stdout).
It exits when stdin closes, so it never outlives the process that started it.

The control channel is stdin/stdout rather than HTTP because some misbehaviour modes
must keep the HTTP port silent. ``tests/support/fixtures.py`` drives it. A command is
``{"cmd": NAME, "id": optional, ...fields}``; the answer is ``{"ok": true, "result": ...}``
or ``{"ok": false, "error": "..."}`` (with the same ``id``). Commands:

- ``ping`` → ``"pong"``; ``reset`` → forget functions, documents, logs, misbehaviour and
  settings, drop silenced requests and close sync connections;
- ``register {path, kind: query|mutation|action, <one behaviour>, args?, logLines?, ...}``
  (see ``FunctionSpec``) → the canonical path; ``unregister {path}``; ``functions``;
- ``set_schema {schema: str, extra?: {...}, path?: "health:ping"}`` registers a query
  returning ``{"status": "ok", "schema": schema, **extra}``;
- ``set_info {version?, instance_name?, ping_interval?, admin_key?, cloud_url?, site_url?,
  log_poll_seconds?}`` (``admin_key``: the key every admin and push route requires; None
  accepts any ``Convex`` key);
- ``pushed`` → ``{modules: [paths], schema: str|None, pushes: N, functions, udfServerVersion}``;
- ``misbehave {mode, seconds?, paths?, times?}`` with mode one of ``MISBEHAVIOURS`` or
  ``normal``; ``behave`` (= ``normal``);
- ``requests {clear?}``, ``wait_request {path, count?: 1, seconds?: 10}`` → the count-th
  logged request for that path once it has arrived, ``sync_messages {clear?}``,
  ``clear_log``;
- ``documents {table?}``, ``seed {table, documents}`` → ids;
- ``connections``, ``close_connections`` → how many were closed.

What it serves (see /work/shared/CONVEX_FACTS.md and node_modules/convex/src):
- ``GET /``, ``/version``, ``/instance_version``, ``/instance_name``;
- ``POST /api/query|mutation|action`` with ``{"path", "args", "format"}`` (args may be an
  object or a one-element array, as the npm ConvexHttpClient sends), plus the npm
  client's ``/api/function``, ``/api/query_ts``, ``/api/query_at_ts`` and the HTTP API's
  ``/api/run/<module>/<function>``;
- the sync protocol on ``/api/sync`` and ``/api/<client version>/sync``;
- functions registered declaratively over the control channel, evaluated against an
  in-memory document store;
- the self-hosted push API the real ``npx convex dev``/``deploy`` use (admin key checked on
  every route, 401 ``BadAdminKey`` otherwise; the key is never stored in the log):
  ``GET /api/check_admin_key``, ``GET /api/v1/get_canonical_urls``,
  ``GET /api/stream_function_logs`` (held ``log_poll_seconds``, no entries),
  ``POST /api/get_config_hashes`` (hashes of the pushed modules, so unchanged modules are
  not re-sent), ``/api/deploy2/evaluate_schema``, ``start_push``, ``wait_for_schema``,
  ``finish_push``, ``report_push_completed``. Bodies are decoded per Content-Encoding (the
  CLI brotli-compresses start_push, finish_push and evaluate_schema: the ``brotli`` package
  is needed). start_push evaluates the pushed schema bundle with the real ``node``
  (``default.export()``, in a child process with a deadline); finish_push commits the push,
  and ``health:ping`` then returns ``{"status": "ok", "schema": <that export>}`` as long as
  the pushed modules include ``health.js`` (a push without it removes ``health:ping``).
  Not modelled: components, auth config, function analysis (``analysis[""].functions`` is
  empty, which codegen accepts unless ``convex.json`` asks for ``staticApi``), environment
  variables, HTTP actions, function logs. Any other route answers 404 and is reported on
  stderr as ``unserved request: METHOD PATH``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from aiohttp import WSMsgType, web

Json = Any
JsonObject = dict[str, Any]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_VERSION: Final = "1.29.0"
DEFAULT_INSTANCE_NAME: Final = "loopback-test"
DEFAULT_PING_INTERVAL: Final = 5.0
# Hard caps so that nothing in this server waits forever.
MAX_SILENCE_SECONDS: Final = 600.0
MAX_ENDLESS_BODY_SECONDS: Final = 600.0
SHUTDOWN_SECONDS: Final = 3.0
MAX_CONTROL_LINE: Final = 64 * 1024 * 1024

MISBEHAVIOURS: Final = ("silent", "slow_headers", "status_500", "html_404", "endless_body")
FUNCTION_KINDS: Final = ("query", "mutation", "action")
BEHAVIOURS: Final = ("returns", "echo", "list", "count", "insert", "error")
ARG_TYPES: Final = ("string", "number", "boolean", "any", "id", "object", "array", "null")
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
FUNCTION_ROUTES: Final = (
    "/api/query",
    "/api/mutation",
    "/api/action",
    "/api/function",
    "/api/query_at_ts",
)
ID_ALPHABET: Final = "0123456789abcdefghjkmnpqrstvwxyz"
MODULE_RE: Final = re.compile(r"^[A-Za-z0-9_\-.]+(/[A-Za-z0-9_\-.]+)*$")
FUNCTION_RE: Final = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")

HTML_404: Final = (
    "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    "<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
    "<hr><address>nginx</address></body></html>\n"
)
ROOT_TEXT: Final = "This Convex deployment is running. See https://docs.convex.dev/."


# --------------------------------------------------------------------------------------
# Values


def encode_ts(ts: int) -> str:
    """Base64 of the 8-byte little-endian integer, as the sync protocol encodes a Ts."""
    return base64.b64encode(struct.pack("<Q", ts)).decode("ascii")


def decode_ts(encoded: str) -> int:
    value: int = struct.unpack("<Q", base64.b64decode(encoded))[0]
    return value


def to_plain_json(value: Json) -> Json:
    """Convex JSON to the HTTP API's ``format: "json"`` export (int64 as a decimal string,
    bytes as base64, special floats as strings)."""
    if isinstance(value, list):
        return [to_plain_json(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "$integer" and isinstance(inner, str):
                return str(struct.unpack("<q", base64.b64decode(inner))[0])
            if key == "$bytes" and isinstance(inner, str):
                return inner
            if key == "$float" and isinstance(inner, str):
                number: float = struct.unpack("<d", base64.b64decode(inner))[0]
                if math.isnan(number):
                    return "NaN"
                if math.isinf(number):
                    return "Infinity" if number > 0 else "-Infinity"
                return number
        return {key: to_plain_json(inner) for key, inner in value.items()}
    return value


def as_convex_numbers(value: Json) -> Json:
    """Convex numbers are float64, and the backend (Rust, serde_json) writes them with a
    decimal point (``0.0``); int64 travels as ``{"$integer": ...}``. The PyPI
    ConvexHttpClient rejects a bare JSON integer ("Bad JSON value: 0"), so every function
    value and stored field leaves here with ints turned into floats."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list):
        return [as_convex_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: as_convex_numbers(inner) for key, inner in value.items()}
    return value


def fingerprint(value: Json) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def new_document_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(32))


def new_request_id() -> str:
    return secrets.token_hex(8)


# --------------------------------------------------------------------------------------
# Function paths


class BadPath(ValueError):
    pass


def canonical_path(raw: object) -> str:
    """``mod.js:fn`` → ``mod:fn``; a bare ``mod`` → ``mod:default``. Raises BadPath."""
    if not isinstance(raw, str) or not raw or raw.count(":") > 1 or raw != raw.strip():
        raise BadPath(f"Couldn't parse function path {raw!r}")
    module, _, function = raw.partition(":")
    function = function or "default"
    if not MODULE_RE.match(module) or not FUNCTION_RE.match(function):
        raise BadPath(f"Couldn't parse function path {raw!r}")
    module = module.removesuffix(".js")
    return f"{module}:{function}"


# --------------------------------------------------------------------------------------
# Functions and the document store


@dataclass
class Outcome:
    success: bool
    value: Json = None
    error_message: str = ""
    error_data: Json = None
    has_error_data: bool = False
    log_lines: list[str] = field(default_factory=list)
    store_changed: bool = False

    def http_body(self, output_format: str | None) -> JsonObject:
        if self.success:
            value = to_plain_json(self.value) if output_format == "json" else self.value
            return {"status": "success", "value": value, "logLines": self.log_lines}
        body: JsonObject = {
            "status": "error",
            "errorMessage": self.error_message,
            "logLines": self.log_lines,
        }
        if self.has_error_data:
            body["errorData"] = self.error_data
        return body


@dataclass
class FunctionSpec:
    """A declaratively registered function. ``spec`` holds exactly one behaviour key:
    ``returns`` (a fixed value), ``echo`` (returns its args), ``list`` (a table's
    documents), ``count`` (a table's size), ``insert`` (inserts its args into a table and
    returns the new id), ``error`` (fails with that message; ``errorData`` makes it a
    ConvexError). Optional: ``args`` (name → one of ARG_TYPES, validated like a
    Convex ``args`` validator), ``logLines``, ``fields`` (constant fields ``insert``
    adds), ``order`` ("asc"/"desc") and ``limit`` for ``list``."""

    path: str
    kind: str
    spec: JsonObject

    @staticmethod
    def parse(raw: JsonObject) -> FunctionSpec:
        path = canonical_path(raw.get("path"))
        kind = raw.get("kind")
        if kind not in FUNCTION_KINDS:
            raise ValueError(f"kind must be one of {FUNCTION_KINDS}, got {kind!r}")
        behaviours = [key for key in BEHAVIOURS if key in raw]
        if len(behaviours) != 1:
            raise ValueError(f"give exactly one of {BEHAVIOURS}, got {behaviours}")
        behaviour = behaviours[0]
        if behaviour == "insert" and kind == "query":
            raise ValueError("a query cannot insert")
        if behaviour in ("list", "count", "insert") and not isinstance(raw[behaviour], str):
            raise ValueError(f"{behaviour} takes a table name")
        if behaviour == "error" and not isinstance(raw["error"], str):
            raise ValueError("error takes a message")
        arg_types = raw.get("args")
        if arg_types is not None:
            if not isinstance(arg_types, dict):
                raise ValueError("args must map argument names to types")
            for name, arg_type in arg_types.items():
                optional = isinstance(arg_type, str) and arg_type.startswith("optional ")
                base = arg_type.removeprefix("optional ") if optional else arg_type
                if base not in ARG_TYPES:
                    raise ValueError(f"argument {name}: type must be one of {ARG_TYPES}")
        spec = {key: value for key, value in raw.items() if key not in ("cmd", "id", "path")}
        return FunctionSpec(path=path, kind=kind, spec=spec)

    def describe(self) -> JsonObject:
        return {"path": self.path, **self.spec}


def _type_matches(value: Json, arg_type: str) -> bool:
    if arg_type == "any":
        return True
    if arg_type in ("string", "id"):
        return isinstance(value, str)
    if arg_type == "number":
        if isinstance(value, bool):
            return False
        return isinstance(value, int | float) or (isinstance(value, dict) and set(value) == {"$float"})
    if arg_type == "boolean":
        return isinstance(value, bool)
    if arg_type == "null":
        return value is None
    if arg_type == "array":
        return isinstance(value, list)
    return isinstance(value, dict)


class Store:
    def __init__(self) -> None:
        self.tables: dict[str, list[JsonObject]] = {}
        self._last_creation_time = 0.0

    def insert(self, table: str, document: JsonObject) -> str:
        now = time.time() * 1000.0
        creation_time = max(now, self._last_creation_time + 0.001)
        self._last_creation_time = creation_time
        doc_id = new_document_id()
        stored = {"_id": doc_id, "_creationTime": creation_time, **as_convex_numbers(document)}
        self.tables.setdefault(table, []).append(stored)
        return doc_id

    def documents(self, table: str) -> list[JsonObject]:
        return list(self.tables.get(table, []))


def run_function(spec: FunctionSpec, args: JsonObject, store: Store) -> Outcome:
    outcome = _run_function(spec, args, store)
    outcome.value = as_convex_numbers(outcome.value)
    outcome.error_data = as_convex_numbers(outcome.error_data)
    return outcome


def _run_function(spec: FunctionSpec, args: JsonObject, store: Store) -> Outcome:
    log_lines = [str(line) for line in spec.spec.get("logLines", [])]
    validation = _validate_args(spec, args)
    if validation is not None:
        return Outcome(success=False, error_message=validation, log_lines=log_lines)
    if "returns" in spec.spec:
        return Outcome(success=True, value=spec.spec["returns"], log_lines=log_lines)
    if "echo" in spec.spec:
        return Outcome(success=True, value=args, log_lines=log_lines)
    if "list" in spec.spec:
        documents = store.documents(spec.spec["list"])
        if spec.spec.get("order") == "desc":
            documents.reverse()
        limit = spec.spec.get("limit")
        if isinstance(limit, int):
            documents = documents[:limit]
        return Outcome(success=True, value=documents, log_lines=log_lines)
    if "count" in spec.spec:
        count = len(store.documents(spec.spec["count"]))
        return Outcome(success=True, value=count, log_lines=log_lines)
    if "insert" in spec.spec:
        system = sorted(key for key in args if key.startswith("_"))
        if system:
            message = (
                f"[Request ID: {new_request_id()}] Server Error\n"
                f"Uncaught Error: Field '{system[0]}' starts with an underscore, "
                "which is only allowed for system fields."
            )
            return Outcome(success=False, error_message=message, log_lines=log_lines)
        fields = spec.spec.get("fields") or {}
        doc_id = store.insert(spec.spec["insert"], {**args, **fields})
        return Outcome(success=True, value=doc_id, log_lines=log_lines, store_changed=True)
    message = str(spec.spec["error"])
    if "errorData" in spec.spec:
        return Outcome(
            success=False,
            error_message=f"[Request ID: {new_request_id()}] Server Error\nUncaught ConvexError: {message}",
            error_data=spec.spec["errorData"],
            has_error_data=True,
            log_lines=log_lines,
        )
    return Outcome(
        success=False,
        error_message=f"[Request ID: {new_request_id()}] Server Error\nUncaught Error: {message}",
        log_lines=log_lines,
    )


def _validate_args(spec: FunctionSpec, args: JsonObject) -> str | None:
    arg_types = spec.spec.get("args")
    if arg_types is None:
        return None
    prefix = "ArgumentValidationError: "
    for name in args:
        if name not in arg_types:
            return f"{prefix}Object contains extra field `{name}` that is not in the validator."
    for name, arg_type in arg_types.items():
        optional = arg_type.startswith("optional ")
        base = arg_type.removeprefix("optional ")
        if name not in args:
            if optional:
                continue
            return f"{prefix}Object is missing the required field `{name}`."
        if not _type_matches(args[name], base):
            return f"{prefix}Value does not match validator.\nPath: .{name}\nValidator: v.{base}()"
    return None


# --------------------------------------------------------------------------------------
# Misbehaviour


@dataclass
class Misbehaviour:
    mode: str
    seconds: float
    paths: list[str] | None
    times: int | None

    def applies_to(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(prefix) for prefix in self.paths)


# --------------------------------------------------------------------------------------
# The sync protocol


@dataclass
class Subscription:
    udf_path: str
    args: JsonObject
    last: str | None = None


class SyncConnection:
    """One WebSocket client. All state changes happen synchronously before a message is
    queued, and one writer task sends the queue in order, so versions never interleave."""

    def __init__(self, deployment: Deployment, ws: web.WebSocketResponse, path: str) -> None:
        self.deployment = deployment
        self.ws = ws
        self.path = path
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.query_set_version = 0
        self.identity_version = 0
        # The client's current state version: the endVersion of the last Transition.
        self.sent_query_set = 0
        self.sent_identity = 0
        self.sent_ts = 0
        self.queries: dict[int, Subscription] = {}

    def send(self, message: JsonObject) -> None:
        self.outbox.put_nowait(json.dumps(message))

    def fatal(self, error: str) -> None:
        self.send({"type": "FatalError", "error": error})
        self.outbox.put_nowait(None)

    def _evaluate(self, query_id: int, subscription: Subscription) -> JsonObject | None:
        """The modification for this query if its result changed since last sent."""
        outcome = self.deployment.run_query_for_sync(subscription.udf_path, subscription.args)
        modification: JsonObject
        if outcome.success:
            modification = {
                "type": "QueryUpdated",
                "queryId": query_id,
                "value": outcome.value,
                "logLines": outcome.log_lines,
                "journal": None,
            }
        else:
            modification = {
                "type": "QueryFailed",
                "queryId": query_id,
                "errorMessage": outcome.error_message,
                "logLines": outcome.log_lines,
                "journal": None,
            }
            if outcome.has_error_data:
                modification["errorData"] = outcome.error_data
        current = fingerprint({k: v for k, v in modification.items() if k != "queryId"})
        if current == subscription.last:
            return None
        subscription.last = current
        return modification

    def transition(self, modifications: list[JsonObject]) -> None:
        ts = self.deployment.ts
        message = {
            "type": "Transition",
            "startVersion": {
                "querySet": self.sent_query_set,
                "identity": self.sent_identity,
                "ts": encode_ts(self.sent_ts),
            },
            "endVersion": {
                "querySet": self.query_set_version,
                "identity": self.identity_version,
                "ts": encode_ts(ts),
            },
            "modifications": modifications,
        }
        self.sent_query_set = self.query_set_version
        self.sent_identity = self.identity_version
        self.sent_ts = ts
        self.send(message)

    def refresh(self, always: bool) -> None:
        """Re-run every subscribed query; send a Transition if any result changed."""
        modifications = []
        for query_id, subscription in self.queries.items():
            modification = self._evaluate(query_id, subscription)
            if modification is not None:
                modifications.append(modification)
        if modifications or always:
            self.transition(modifications)

    def handle(self, message: JsonObject) -> None:
        kind = message.get("type")
        if kind == "Connect":
            return
        if kind == "ModifyQuerySet":
            self._modify_query_set(message)
        elif kind == "Authenticate":
            base_version = message.get("baseVersion")
            if base_version != self.identity_version:
                self.fatal(
                    f"Invalid Authenticate baseVersion {base_version}, expected {self.identity_version}"
                )
                return
            self.identity_version = base_version + 1
            for subscription in self.queries.values():
                subscription.last = None  # a new identity re-runs every query
            self.refresh(always=True)
        elif kind in ("Mutation", "Action"):
            self._request(kind, message)
        # "Event" and anything unknown are ignored, as the backend ignores unknown events.

    def _modify_query_set(self, message: JsonObject) -> None:
        base_version = message.get("baseVersion")
        new_version = message.get("newVersion")
        if base_version != self.query_set_version or not isinstance(new_version, int):
            self.fatal(
                f"Invalid ModifyQuerySet: baseVersion {base_version}, newVersion {new_version}, "
                f"current query set version {self.query_set_version}"
            )
            return
        modifications: list[JsonObject] = []
        added: list[int] = []
        for change in message.get("modifications", []):
            query_id = change.get("queryId")
            if change.get("type") == "Add":
                raw_args = change.get("args", [])
                args = raw_args[0] if isinstance(raw_args, list) and raw_args else raw_args
                self.queries[query_id] = Subscription(
                    udf_path=str(change.get("udfPath")), args=args if args else {}
                )
                added.append(query_id)
            elif change.get("type") == "Remove" and self.queries.pop(query_id, None) is not None:
                modifications.append({"type": "QueryRemoved", "queryId": query_id})
        self.query_set_version = new_version
        for query_id in added:
            subscription = self.queries.get(query_id)
            if subscription is None:
                continue
            subscription.last = None
            modification = self._evaluate(query_id, subscription)
            if modification is not None:
                modifications.append(modification)
        self.transition(modifications)

    def _request(self, kind: str, message: JsonObject) -> None:
        request_id = message.get("requestId")
        raw_args = message.get("args", [])
        args = raw_args[0] if isinstance(raw_args, list) and raw_args else raw_args
        expected = "mutation" if kind == "Mutation" else "action"
        outcome = self.deployment.call(
            str(message.get("udfPath")), args if isinstance(args, dict) else {}, expected
        )
        response: JsonObject = {
            "type": "MutationResponse" if kind == "Mutation" else "ActionResponse",
            "requestId": request_id,
            "success": outcome.success,
            "result": outcome.value if outcome.success else outcome.error_message,
            "logLines": outcome.log_lines,
        }
        if not outcome.success and outcome.has_error_data:
            response["errorData"] = outcome.error_data
        if kind == "Mutation":
            # Every mutation commits at a new timestamp, failed or not, and its client gets
            # a Transition past it: both clients wait for one before resolving.
            self.deployment.advance_ts()
            if outcome.success:
                response["ts"] = encode_ts(self.deployment.ts)
            self.send(response)
            self.deployment.broadcast(mutator=self)
        else:
            self.send(response)
            if outcome.store_changed:
                self.deployment.advance_ts()
                self.deployment.broadcast(mutator=None)


# --------------------------------------------------------------------------------------
# The self-hosted push API (what the real `npx convex dev` / `convex deploy` talk to)

PUSH_EVAL_TIMEOUT: Final = 30.0
DEFAULT_LOG_POLL_SECONDS: Final = 1.0
MAX_PENDING_PUSHES: Final = 8
SCHEMA_CACHE_SIZE: Final = 16
HEALTH_MODULE: Final = "health.js"
HEALTH_PATH: Final = "health:ping"
EVAL_MARKER: Final = "@@push-eval@@"
# Evaluates a pushed schema bundle (a self-contained ESM module: the CLI bundles `convex`
# into it) the way the backend does: import it, take the default export, call `.export()`.
# argv[1] is the absolute path of the bundle written to a temporary .mjs file.
NODE_EVALUATE_SCHEMA: Final = r"""
import { pathToFileURL } from "node:url";
const MARKER = "@@push-eval@@";
const finish = (result) => {
  process.stdout.write(`\n${MARKER}${JSON.stringify(result)}\n`);
  process.exit(0);
};
console.log = console.error;
console.info = console.error;
let schema;
try {
  schema = (await import(pathToFileURL(process.argv[1]).href)).default;
} catch (error) {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  finish({ ok: false, code: "InvalidSchema", message: `Uncaught ${name}: ${message}` });
}
if (schema === undefined || schema === null) {
  const message = "Schema file is missing a default export.";
  finish({ ok: false, code: "MissingSchemaExportError", message });
}
if (typeof schema.export !== "function" || typeof schema.tables !== "object") {
  const message = "Default export from schema file isn't a Convex schema.";
  finish({ ok: false, code: "InvalidSchemaExport", message });
}
try {
  finish({ ok: true, schema: schema.export() });
} catch (error) {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  finish({ ok: false, code: "InvalidSchema", message: `Uncaught ${name}: ${message}` });
}
"""


class PushError(Exception):
    """A push request the test deployment refuses: answered ``{"code", "message"}``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class PushedModule:
    path: str
    environment: str
    sha256: str


@dataclass
class PendingPush:
    """What a start_push evaluated; finish_push commits it (unless it is a dry run)."""

    push_id: str
    modules: dict[str, PushedModule]
    schema: str | None
    functions_dir: str
    udf_server_version: str | None
    dry_run: bool


@dataclass
class PushState:
    modules: dict[str, PushedModule] = field(default_factory=dict)
    schema: str | None = None
    functions_dir: str = "convex/"
    udf_server_version: str | None = None
    pushes: int = 0
    pending: dict[str, PendingPush] = field(default_factory=dict)

    def describe(self) -> JsonObject:
        return {
            "modules": sorted(self.modules),
            "schema": self.schema,
            "pushes": self.pushes,
            "functions": self.functions_dir,
            "udfServerVersion": self.udf_server_version,
        }


def module_sha256(source: str, source_map: str | None) -> str:
    """The hash the CLI compares (``hash()`` in src/cli/lib/components.ts)."""
    digest = hashlib.sha256(source.encode("utf-8"))
    digest.update((source_map or "").encode("utf-8"))
    return digest.hexdigest()


def _module_config(raw: object, what: str) -> JsonObject:
    if not isinstance(raw, dict):
        raise PushError("InvalidModules", f"{what} must be an object")
    path, source, environment = raw.get("path"), raw.get("source"), raw.get("environment")
    if not isinstance(path, str) or not isinstance(source, str):
        raise PushError("InvalidModules", f"{what} needs a string path and source")
    if environment not in ("isolate", "node"):
        raise PushError("InvalidModules", f"{what}: environment must be isolate or node")
    source_map = raw.get("sourceMap")
    if source_map is not None and not isinstance(source_map, str):
        raise PushError("InvalidModules", f"{what}: sourceMap must be a string")
    return raw


def parse_push_request(body: JsonObject, deployed: dict[str, PushedModule]) -> tuple[PendingPush, str | None]:
    """Check a start_push body's shape; return the push (schema not yet evaluated) and the
    schema bundle's source, if any."""
    app = body.get("appDefinition")
    if not isinstance(app, dict):
        raise PushError("BadJsonBody", "Failed to deserialize the JSON body: missing field `appDefinition`")
    if body.get("componentDefinitions"):
        raise PushError("ComponentsNotSupported", "The test deployment does not support components")
    changed = app.get("changedModules")
    unchanged = app.get("unchangedModuleHashes")
    if not isinstance(changed, list) or not isinstance(unchanged, list):
        raise PushError(
            "BadJsonBody", "Failed to deserialize the JSON body: changedModules and unchangedModuleHashes"
        )
    modules: dict[str, PushedModule] = {}
    for index, raw in enumerate(changed):
        module = _module_config(raw, f"changedModules[{index}]")
        path = str(module["path"])
        if path in modules:
            raise PushError("InvalidModules", f"Module {path} was pushed twice")
        modules[path] = PushedModule(
            path, str(module["environment"]), module_sha256(module["source"], module.get("sourceMap"))
        )
    for index, raw in enumerate(unchanged):
        if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
            raise PushError("BadJsonBody", f"unchangedModuleHashes[{index}] needs a path")
        path = raw["path"]
        known = deployed.get(path)
        if known is None or known.sha256 != raw.get("sha256") or known.environment != raw.get("environment"):
            raise PushError(
                "ModuleHashMismatch", f"Module {path} is not deployed with hash {raw.get('sha256')}"
            )
        if path in modules:
            raise PushError("InvalidModules", f"Module {path} was pushed twice")
        modules[path] = known
    schema_module = app.get("schema")
    schema_source: str | None = None
    if schema_module is not None:
        schema_source = str(_module_config(schema_module, "appDefinition.schema")["source"])
    functions_dir = body.get("functions")
    udf_server_version = app.get("udfServerVersion")
    pending = PendingPush(
        push_id=secrets.token_hex(8),
        modules=modules,
        schema=None,
        functions_dir=functions_dir if isinstance(functions_dir, str) else "convex/",
        udf_server_version=udf_server_version if isinstance(udf_server_version, str) else None,
        dry_run=bool(body.get("dryRun")),
    )
    return pending, schema_source


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


async def evaluate_pushed_schema(source: str, timeout: float = PUSH_EVAL_TIMEOUT) -> str:
    """The JSON string the pushed schema bundle's ``default.export()`` returns, computed by
    the real Node in a child process (its own session, killed at the deadline)."""
    node = shutil.which("node")
    if node is None:
        raise PushError("InvalidSchema", "Hit an error while evaluating your schema:\nnode is not on PATH")
    with tempfile.TemporaryDirectory(prefix="loopback-schema-") as tmp:
        bundle = Path(tmp) / "schema.mjs"
        bundle.write_text(source, encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            node,
            "--input-type=module",
            "--eval",
            NODE_EVALUATE_SCHEMA,
            str(bundle),
            cwd=tmp,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
        except TimeoutError:
            raise PushError(
                "InvalidSchema",
                "Hit an error while evaluating your schema:\n"
                f"Function execution timed out (maximum duration: {timeout:g}s)",
            ) from None
        finally:
            if process.returncode is None:
                _kill_group(process)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(process.wait(), timeout=SHUTDOWN_SECONDS)
    result: JsonObject | None = None
    for line in stdout.decode("utf-8", errors="replace").splitlines():
        if line.startswith(EVAL_MARKER):
            with contextlib.suppress(ValueError):
                result = json.loads(line[len(EVAL_MARKER) :])
    if result is None:
        detail = stderr.decode("utf-8", errors="replace").strip()[-2000:]
        raise PushError(
            "InvalidSchema",
            f"Hit an error while evaluating your schema:\nnode exited {process.returncode}: {detail}",
        )
    if not result.get("ok"):
        message = f"Hit an error while evaluating your schema:\n{result.get('message')}"
        raise PushError(str(result.get("code") or "InvalidSchema"), message)
    schema = result.get("schema")
    if not isinstance(schema, str):
        raise PushError(
            "InvalidSchemaExport", "Hit an error while evaluating your schema:\nexport() gave no string"
        )
    return schema


def start_push_response(
    pending: PendingPush, schema_export: JsonObject | None, current: JsonObject | None
) -> JsonObject:
    """The smallest answer the CLI's zod schemas (src/cli/lib/deployApi/startPush.ts) and its
    codegen accept: codegen looks up ``analysis[""]`` for the root component. ``pushId``
    is ours; the CLI passes it back in finish_push's ``startPush`` (its objects are loose)."""
    return {
        "pushId": pending.push_id,
        "environmentVariables": {},
        "externalDepsId": None,
        "componentDefinitionPackages": {},
        "appAuth": [],
        "analysis": {
            "": {
                "definition": {
                    "path": "",
                    "definitionType": {"type": "app"},
                    "childComponents": [],
                    "httpMounts": {},
                    "exports": {"type": "branch", "branch": []},
                },
                "schema": schema_export,
                "functions": {},
                "udfConfig": {
                    "serverVersion": pending.udf_server_version or DEFAULT_VERSION,
                    "importPhaseRngSeed": {"$bytes": base64.b64encode(secrets.token_bytes(32)).decode()},
                    "importPhaseUnixTimestamp": {
                        "$integer": base64.b64encode(struct.pack("<q", int(time.time() * 1000))).decode()
                    },
                },
            }
        },
        "app": {
            "definitionPath": "",
            "componentPath": "",
            "args": {},
            "childComponents": {},
            "httpRoutes": {"httpModuleRoutes": None, "mounts": []},
            "exports": {},
        },
        "schemaChange": {
            "allocatedComponentIds": None,
            "schemaIds": None,
            "indexDiffs": {"": index_diff(schema_export, current)},
        },
    }


INDEX_KINDS: Final = (
    ("indexes", "database", False),
    ("stagedDbIndexes", "database", True),
    ("searchIndexes", "search", False),
    ("stagedSearchIndexes", "search", True),
    ("vectorIndexes", "vector", False),
    ("stagedVectorIndexes", "vector", True),
)


def _tables(schema: JsonObject | None) -> dict[str, JsonObject]:
    if schema is None:
        return {}
    return {str(t.get("tableName")): t for t in schema.get("tables") or [] if isinstance(t, dict)}


def index_configs(schema: JsonObject | None) -> dict[str, JsonObject]:
    """Every index of a schema export as the CLI's ``developerIndexConfig``, by full name."""
    configs: dict[str, JsonObject] = {}
    for table_name, table in _tables(schema).items():
        for key, kind, staged in INDEX_KINDS:
            for index in table.get(key) or []:
                config: JsonObject = {"name": f"{table_name}.{index.get('indexDescriptor')}", "type": kind}
                if kind == "database":
                    config["fields"] = list(index.get("fields") or [])
                elif kind == "search":
                    config["searchField"] = index.get("searchField")
                    config["filterFields"] = list(index.get("filterFields") or [])
                else:
                    config["dimensions"] = index.get("dimensions")
                    config["vectorField"] = index.get("vectorField")
                    config["filterFields"] = list(index.get("filterFields") or [])
                if staged:
                    config["staged"] = True
                configs[config["name"]] = config
    return configs


def index_changes(new: JsonObject | None, old: JsonObject | None) -> list[tuple[JsonObject, str]]:
    """Each index of either schema with its change: added, identical, enabled (staged →
    active), disabled (active → staged) or dropped (then the old config). An index whose
    definition changed under the same name counts as added."""
    new_indexes, old_indexes = index_configs(new), index_configs(old)
    changes: list[tuple[JsonObject, str]] = []
    for name, config in new_indexes.items():
        before = old_indexes.get(name)
        if before is None:
            change = "added"
        elif before == config:
            change = "identical"
        elif {k: v for k, v in before.items() if k != "staged"} != {
            k: v for k, v in config.items() if k != "staged"
        }:
            change = "added"
        else:
            change = "disabled" if config.get("staged") else "enabled"
        changes.append((config, change))
    changes += [(config, "dropped") for name, config in old_indexes.items() if name not in new_indexes]
    return changes


def index_diff(new: JsonObject | None, old: JsonObject | None) -> JsonObject:
    """start_push's ``schemaChange.indexDiffs[""]``, which the CLI prints ("Added table
    indexes: ...")."""
    by_change: dict[str, list[JsonObject]] = {}
    for config, change in index_changes(new, old):
        by_change.setdefault(change, []).append(config)
    return {
        "added_indexes": by_change.get("added", []),
        "removed_indexes": by_change.get("dropped", []),
        "enabled_indexes": by_change.get("enabled", []),
        "disabled_indexes": by_change.get("disabled", []),
    }


def evaluate_schema_response(new: JsonObject | None, old: JsonObject | None, store: Store) -> JsonObject:
    """A prediction for /api/deploy2/evaluate_schema (deployApi/evaluateSchema.ts) from the
    pushed and the current schema and the store: per table whether documents must be
    re-checked, per index whether it is added, identical, enabled, disabled or dropped.
    Staged validator progress is not modelled (no ``staged`` entries)."""
    validation = bool(new and new.get("schemaValidation"))
    old_tables = _tables(old)
    tables = []
    for name, table in _tables(new).items():
        documents = store.documents(name)
        previous = old_tables.get(name)
        if not validation:
            outcome = "notValidated"
        elif (
            previous is not None
            and old is not None
            and old.get("schemaValidation")
            and previous.get("documentType") == table.get("documentType")
        ):
            outcome = "supersetOfEnforced"
        elif not documents:
            outcome = "supersetOfShape"
        else:
            outcome = "mustWalk"
        size = len(json.dumps(documents)) if documents else 0
        tables.append({"name": name, "outcome": outcome, "numDocs": len(documents), "sizeBytes": size})
    indexes = []
    for config, change in index_changes(new, old):
        count = len(store.documents(str(config["name"]).split(".", 1)[0]))
        needs_backfill = change == "added" and count > 0
        indexes.append({**config, "change": change, "needsBackfill": needs_backfill, "numDocs": count})
    return {
        "componentSchemaEvaluations": {
            "": {
                "definitionPath": "",
                "schemaValidation": validation,
                "tables": tables,
                "indexes": indexes,
                "discardedStagedValidators": [],
            }
        },
        "newComponentDefinitions": [],
    }


def push_summary(body: JsonObject) -> JsonObject:
    """What the request log keeps of a start_push body: never the admin key or sources."""
    app = body.get("appDefinition") if isinstance(body.get("appDefinition"), dict) else {}
    assert isinstance(app, dict)
    changed = app.get("changedModules") if isinstance(app.get("changedModules"), list) else []
    unchanged = app.get("unchangedModuleHashes") if isinstance(app.get("unchangedModuleHashes"), list) else []
    assert isinstance(changed, list) and isinstance(unchanged, list)
    return {
        "dryRun": body.get("dryRun"),
        "functions": body.get("functions"),
        "changedModules": [m.get("path") for m in changed if isinstance(m, dict)],
        "unchangedModules": [m.get("path") for m in unchanged if isinstance(m, dict)],
        "schema": isinstance(app.get("schema"), dict),
        "udfServerVersion": app.get("udfServerVersion"),
        "componentDefinitions": len(body.get("componentDefinitions") or []),
    }


def without_secrets(body: Json) -> Json:
    if isinstance(body, dict):
        return {key: "<redacted>" if key == "adminKey" else value for key, value in body.items()}
    return body


# --------------------------------------------------------------------------------------
# The deployment


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
        spec = self.functions.get(path)
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
        """``evaluate_pushed_schema``, remembered by source: the CLI sends the same bundle to
        evaluate_schema and then to start_push."""
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        cached = self.schema_cache.get(key)
        if cached is None:
            cached = await evaluate_pushed_schema(source)
            self.schema_cache[key] = cached
            while len(self.schema_cache) > SCHEMA_CACHE_SIZE:
                self.schema_cache.pop(next(iter(self.schema_cache)))
        return cached

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

    # -- control channel -----------------------------------------------------------------

    async def command(self, message: JsonObject) -> JsonObject:
        name = message.get("cmd")
        handler = COMMANDS.get(str(name))
        if handler is None:
            raise ValueError(f"unknown command {name!r}; known: {sorted(COMMANDS)}")
        result = await handler(self, message)
        return {"ok": True, "result": result}


# Control commands. Each takes the deployment and the command object.


async def _cmd_ping(dep: Deployment, msg: JsonObject) -> Json:
    return "pong"


async def _cmd_reset(dep: Deployment, msg: JsonObject) -> Json:
    await dep.reset()
    return None


async def _cmd_register(dep: Deployment, msg: JsonObject) -> Json:
    spec = FunctionSpec.parse(msg)
    dep.functions[spec.path] = spec
    if spec.kind == "query":
        dep.broadcast(mutator=None)  # a redeployed query re-runs for its subscribers
    return spec.path


async def _cmd_unregister(dep: Deployment, msg: JsonObject) -> Json:
    path = canonical_path(msg.get("path"))
    removed = dep.functions.pop(path, None) is not None
    dep.broadcast(mutator=None)
    return removed


async def _cmd_functions(dep: Deployment, msg: JsonObject) -> Json:
    return [spec.describe() for spec in dep.functions.values()]


async def _cmd_set_schema(dep: Deployment, msg: JsonObject) -> Json:
    schema = msg.get("schema")
    if not isinstance(schema, str):
        raise ValueError("schema must be a string (the JSON that defineSchema().export() gives)")
    extra = msg.get("extra") or {}
    if not isinstance(extra, dict):
        raise ValueError("extra must be an object")
    path = str(msg.get("path") or "health:ping")
    value = {"status": "ok", "schema": schema, **extra}
    return await _cmd_register(dep, {"path": path, "kind": "query", "returns": value})


async def _cmd_set_info(dep: Deployment, msg: JsonObject) -> Json:
    if "version" in msg:
        dep.version = str(msg["version"])
    if "instance_name" in msg:
        dep.instance_name = str(msg["instance_name"])
    if "ping_interval" in msg:
        dep.ping_interval = float(msg["ping_interval"])
    if "admin_key" in msg:
        dep.admin_key = None if msg["admin_key"] is None else str(msg["admin_key"])
    if "cloud_url" in msg:
        dep.cloud_url = None if msg["cloud_url"] is None else str(msg["cloud_url"])
    if "site_url" in msg:
        dep.site_url = None if msg["site_url"] is None else str(msg["site_url"])
    if "log_poll_seconds" in msg:
        dep.log_poll_seconds = min(max(float(msg["log_poll_seconds"]), 0.0), MAX_SILENCE_SECONDS)
    return {
        "version": dep.version,
        "instance_name": dep.instance_name,
        "ping_interval": dep.ping_interval,
        "admin_key_set": dep.admin_key is not None,
        "cloud_url": dep.canonical_cloud_url,
        "site_url": dep.canonical_site_url,
        "log_poll_seconds": dep.log_poll_seconds,
    }


async def _cmd_pushed(dep: Deployment, msg: JsonObject) -> Json:
    return dep.push.describe()


async def _cmd_misbehave(dep: Deployment, msg: JsonObject) -> Json:
    mode = msg.get("mode")
    if mode in (None, "normal"):
        dep.misbehaviour = None
        dep._wake_silenced()
        return None
    if mode not in MISBEHAVIOURS:
        raise ValueError(f"mode must be one of {MISBEHAVIOURS} or 'normal', got {mode!r}")
    default_seconds = {"slow_headers": 5.0, "silent": MAX_SILENCE_SECONDS}.get(
        str(mode), MAX_ENDLESS_BODY_SECONDS
    )
    seconds = float(msg.get("seconds") or default_seconds)
    paths = msg.get("paths")
    times = msg.get("times")
    dep.misbehaviour = Misbehaviour(
        mode=str(mode),
        seconds=min(seconds, MAX_SILENCE_SECONDS),
        paths=[str(p) for p in paths] if paths is not None else None,
        times=int(times) if times is not None else None,
    )
    return mode


async def _cmd_behave(dep: Deployment, msg: JsonObject) -> Json:
    return await _cmd_misbehave(dep, {"mode": "normal"})


async def _cmd_requests(dep: Deployment, msg: JsonObject) -> Json:
    records = list(dep.requests)
    if msg.get("clear"):
        dep.requests.clear()
    return records


async def _cmd_wait_request(dep: Deployment, msg: JsonObject) -> Json:
    seconds = min(float(msg.get("seconds") or 10.0), MAX_SILENCE_SECONDS)
    return await dep.wait_request(str(msg["path"]), int(msg.get("count") or 1), seconds)


async def _cmd_sync_messages(dep: Deployment, msg: JsonObject) -> Json:
    records = list(dep.sync_messages)
    if msg.get("clear"):
        dep.sync_messages.clear()
    return records


async def _cmd_clear_log(dep: Deployment, msg: JsonObject) -> Json:
    dep.requests.clear()
    dep.sync_messages.clear()
    return None


async def _cmd_documents(dep: Deployment, msg: JsonObject) -> Json:
    table = msg.get("table")
    if table is None:
        return {name: docs for name, docs in dep.store.tables.items()}
    return dep.store.documents(str(table))


async def _cmd_seed(dep: Deployment, msg: JsonObject) -> Json:
    table = str(msg["table"])
    documents = msg.get("documents") or []
    ids = [dep.store.insert(table, dict(document)) for document in documents]
    dep.advance_ts()
    dep.broadcast(mutator=None)
    return ids


async def _cmd_connections(dep: Deployment, msg: JsonObject) -> Json:
    return [
        {"path": c.path, "queries": {str(q): s.udf_path for q, s in c.queries.items()}}
        for c in dep.connections
    ]


async def _cmd_close_connections(dep: Deployment, msg: JsonObject) -> Json:
    count = len(dep.connections)
    await dep.close_connections()
    return count


COMMANDS: Final[dict[str, Callable[[Deployment, JsonObject], Awaitable[Json]]]] = {
    "ping": _cmd_ping,
    "reset": _cmd_reset,
    "register": _cmd_register,
    "unregister": _cmd_unregister,
    "functions": _cmd_functions,
    "set_schema": _cmd_set_schema,
    "set_info": _cmd_set_info,
    "misbehave": _cmd_misbehave,
    "behave": _cmd_behave,
    "requests": _cmd_requests,
    "wait_request": _cmd_wait_request,
    "sync_messages": _cmd_sync_messages,
    "clear_log": _cmd_clear_log,
    "documents": _cmd_documents,
    "seed": _cmd_seed,
    "connections": _cmd_connections,
    "close_connections": _cmd_close_connections,
    "pushed": _cmd_pushed,
}


# --------------------------------------------------------------------------------------
# HTTP


def convex_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


DEPLOYMENT_KEY: Final = web.AppKey("deployment", Deployment)


def _dep(request: web.Request) -> Deployment:
    return request.app[DEPLOYMENT_KEY]


@web.middleware
async def misbehaviour_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    dep = _dep(request)
    record = dep.record_request(request)
    request["log_record"] = record
    misbehaviour = dep.take_misbehaviour(request.path)
    if misbehaviour is None:
        return await handler(request)
    record["misbehaviour"] = misbehaviour.mode
    if misbehaviour.mode == "silent":
        release = dep.release_silence
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(release.wait(), timeout=misbehaviour.seconds)
        # Never answer: drop the connection without a byte.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    if misbehaviour.mode == "slow_headers":
        await asyncio.sleep(misbehaviour.seconds)
        return await handler(request)
    if misbehaviour.mode == "status_500":
        return convex_error(
            500, "InternalServerError", "Your request couldn't be completed. Try again later."
        )
    if misbehaviour.mode == "html_404":
        return web.Response(status=404, text=HTML_404, content_type="text/html")
    return await _endless_body(request, misbehaviour.seconds)


async def _endless_body(request: web.Request, seconds: float) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
    await response.prepare(request)
    deadline = time.monotonic() + seconds
    try:
        await response.write(b'{"status":"success","value":"')
        while time.monotonic() < deadline:
            await response.write(b"x" * 4096)
            await asyncio.sleep(0.01)
    except (ConnectionError, RuntimeError):
        return response
    return response


async def handle_root(request: web.Request) -> web.Response:
    return web.Response(text=ROOT_TEXT)


async def handle_version(request: web.Request) -> web.Response:
    return web.Response(text=_dep(request).version)


async def handle_instance_name(request: web.Request) -> web.Response:
    return web.Response(text=_dep(request).instance_name)


async def handle_check_admin_key(request: web.Request) -> web.Response:
    denied = _dep(request).check_admin(request)
    return denied if denied is not None else web.json_response({})


async def handle_query_ts(request: web.Request) -> web.Response:
    return web.json_response({"ts": encode_ts(_dep(request).ts)})


async def handle_function(request: web.Request) -> web.Response:
    dep = _dep(request)
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        return convex_error(400, "BadJsonBody", f"Failed to parse the request body: {error}")
    request["log_record"]["body"] = body
    if not isinstance(body, dict):
        return convex_error(400, "BadJsonBody", "Failed to deserialize the JSON body: expected an object")
    route = request.path
    if route.startswith("/api/run/"):
        function_path = request.match_info["function_path"]
        module, _, name = function_path.rpartition("/")
        raw_path: object = f"{module}:{name}" if module else function_path
        expected: str | None = None
    else:
        if "path" not in body:
            return convex_error(
                400, "BadJsonBody", "Failed to deserialize the JSON body: missing field `path`"
            )
        raw_path = body["path"]
        expected = {
            "/api/query": "query",
            "/api/query_at_ts": "query",
            "/api/mutation": "mutation",
            "/api/action": "action",
        }.get(route)
    output_format = body.get("format")
    if output_format not in (None, "json", "convex_encoded_json"):
        return convex_error(
            400, "BadJsonBody", f"Failed to deserialize the JSON body: unknown format {output_format!r}"
        )
    try:
        canonical_path(raw_path)
    except BadPath as error:
        return convex_error(400, "BadConvexFunctionIdentifier", str(error))
    raw_args = body.get("args", {})
    if isinstance(raw_args, list) and len(raw_args) == 1:
        raw_args = raw_args[0]
    if raw_args is None:
        raw_args = {}
    if not isinstance(raw_args, dict):
        outcome = Outcome(
            success=False,
            error_message="ArgumentValidationError: Arguments to a Convex function must be an object.",
        )
        return web.json_response(outcome.http_body(None))
    outcome = dep.call(raw_path, raw_args, expected)
    if outcome.store_changed:
        dep.advance_ts()
        dep.broadcast(mutator=None)
    return web.json_response(outcome.http_body(output_format))


async def handle_sync(request: web.Request) -> web.StreamResponse:
    dep = _dep(request)
    ws = web.WebSocketResponse(max_msg_size=MAX_CONTROL_LINE, autoping=True)
    if not ws.can_prepare(request).ok:
        return convex_error(400, "BadRequest", "Expected a WebSocket upgrade")
    await ws.prepare(request)
    connection = SyncConnection(dep, ws, request.path)
    dep.connections.add(connection)

    async def writer() -> None:
        while True:
            text = await connection.outbox.get()
            if text is None or ws.closed:
                break
            await ws.send_str(text)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), timeout=2.0)

    async def pinger() -> None:
        while True:
            await asyncio.sleep(max(dep.ping_interval, 0.05))
            connection.send({"type": "Ping"})

    tasks = [asyncio.create_task(writer()), asyncio.create_task(pinger())]
    try:
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                parsed = json.loads(message.data)
            except ValueError:
                dep.record_sync_message(request.path, message.data)
                connection.fatal("Received a message that is not JSON")
                break
            dep.record_sync_message(request.path, parsed)
            if isinstance(parsed, dict):
                connection.handle(parsed)
    finally:
        dep.connections.discard(connection)
        connection.outbox.put_nowait(None)
        tasks[1].cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(tasks[0], timeout=2.0)
        tasks[0].cancel()
    return ws


# -- the push API ------------------------------------------------------------------------


async def read_push_body(request: web.Request) -> JsonObject:
    """A push request's JSON body, decoded per its Content-Encoding (the CLI brotli-compresses
    start_push, finish_push and evaluate_schema). Raises PushError."""
    raw = await request.read()
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    try:
        if encoding == "br":
            try:
                # PyPI `brotli` (the dev extra); the import stays lazy so that the rest of
                # the test deployment works without it.
                import brotli  # type: ignore[import-untyped, import-not-found, unused-ignore]
            except ImportError:
                raise PushError(
                    "UnsupportedContentEncoding",
                    "The test deployment needs the `brotli` package to read brotli request bodies",
                    status=415,
                ) from None
            data: bytes = brotli.decompress(raw)
        elif encoding == "gzip":
            data = zlib.decompress(raw, wbits=zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            data = zlib.decompress(raw)
        elif encoding in ("identity", ""):
            data = raw
        else:
            raise PushError("UnsupportedContentEncoding", f"Unsupported Content-Encoding {encoding!r}", 415)
    except PushError:
        raise
    except Exception as error:
        raise PushError("BadRequestBody", f"Could not decode the {encoding} request body: {error}") from None
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise PushError("BadJsonBody", f"Failed to parse the request body: {error}") from None
    if not isinstance(body, dict):
        raise PushError("BadJsonBody", "Failed to deserialize the JSON body: expected an object")
    return body


def _admin_body_matches(dep: Deployment, body: JsonObject) -> bool:
    key = body.get("adminKey")
    if key is None or dep.admin_key is None:
        return True
    return isinstance(key, str) and secrets.compare_digest(key.encode(), dep.admin_key.encode())


def push_route(
    handler: Callable[[Deployment, web.Request, JsonObject], Awaitable[web.StreamResponse]],
    *,
    body: bool = True,
) -> Handler:
    """Wraps a push API handler: admin key check (header, and ``adminKey`` in the body),
    body decoding, and PushError → ``{"code", "message"}``."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        dep = _dep(request)
        denied = dep.check_admin(request)
        if denied is not None:
            return denied
        try:
            parsed = await read_push_body(request) if body else {}
            if not _admin_body_matches(dep, parsed):
                return convex_error(
                    401, "BadAdminKey", "The provided admin key was invalid for this instance"
                )
            return await handler(dep, request, parsed)
        except PushError as error:
            request["log_record"]["push_error"] = error.code
            return convex_error(error.status, error.code, error.message)

    return wrapped


async def handle_canonical_urls(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    return web.json_response(
        {"convexCloudUrl": dep.canonical_cloud_url, "convexSiteUrl": dep.canonical_site_url}
    )


async def handle_stream_function_logs(
    dep: Deployment, request: web.Request, body: JsonObject
) -> web.Response:
    """No function logs are kept: answer after a pause (the CLI polls again at once), or at
    shutdown/reset."""
    try:
        cursor = float(request.query.get("cursor", "0"))
    except ValueError:
        return convex_error(400, "BadQueryArgs", "cursor must be a number")
    wake = dep.log_wake
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), timeout=dep.log_poll_seconds)
    new_cursor = max(cursor, time.time() * 1000.0)
    return web.json_response({"entries": [], "newCursor": new_cursor})


async def handle_get_config_hashes(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    request["log_record"]["body"] = without_secrets(body)
    state = dep.push
    response: JsonObject = {
        "config": {"functions": state.functions_dir},
        "moduleHashes": [
            {"path": m.path, "hash": m.sha256, "environment": m.environment} for m in state.modules.values()
        ],
        "nodeDependencies": [],
    }
    if state.udf_server_version is not None:
        response["udfServerVersion"] = state.udf_server_version
    return web.json_response(response)


async def handle_evaluate_schema(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    request["log_record"]["body"] = push_summary(body)
    _, schema_source = parse_push_request(body, dep.push.modules)
    schema = await dep.evaluate_schema(schema_source) if schema_source is not None else None
    new = json.loads(schema) if schema is not None else None
    old = json.loads(dep.push.schema) if dep.push.schema is not None else None
    return web.json_response(evaluate_schema_response(new, old, dep.store))


async def handle_start_push(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    request["log_record"]["body"] = push_summary(body)
    pending, schema_source = parse_push_request(body, dep.push.modules)
    schema_export: JsonObject | None = None
    if schema_source is not None:
        try:
            pending.schema = await dep.evaluate_schema(schema_source)
        except PushError as error:
            raise PushError(
                error.code, f"Hit an error while pushing:\n{error.message}", error.status
            ) from None
        schema_export = json.loads(pending.schema)
    dep.push.pending[pending.push_id] = pending
    while len(dep.push.pending) > MAX_PENDING_PUSHES:
        dep.push.pending.pop(next(iter(dep.push.pending)))
    current = json.loads(dep.push.schema) if dep.push.schema is not None else None
    return web.json_response(start_push_response(pending, schema_export, current))


async def handle_wait_for_schema(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    request["log_record"]["body"] = without_secrets(body)
    return web.json_response({"type": "complete"})


async def handle_finish_push(dep: Deployment, request: web.Request, body: JsonObject) -> web.Response:
    start = body.get("startPush")
    push_id = start.get("pushId") if isinstance(start, dict) else None
    request["log_record"]["body"] = {
        "pushId": push_id,
        "dryRun": body.get("dryRun"),
        "message": body.get("message"),
    }
    pending = dep.push.pending.pop(str(push_id), None)
    if pending is None:
        raise PushError(
            "PushNotStarted", f"No started push {push_id!r} to finish (was the deployment reset?)"
        )
    if not pending.dry_run and not body.get("dryRun"):
        dep.commit_push(pending)
    return web.json_response(
        {"authDiff": {"added": [], "removed": []}, "definitionDiffs": {}, "componentDiffs": {}}
    )


async def handle_report_push_completed(
    dep: Deployment, request: web.Request, body: JsonObject
) -> web.Response:
    return web.json_response({})


async def handle_not_found(request: web.Request) -> web.Response:
    # Logged so that a new request of a real client shows up in the server log.
    request["log_record"]["unserved"] = True
    print(f"unserved request: {request.method} {request.path_qs}", file=sys.stderr, flush=True)
    return convex_error(404, "NotFound", f"No route for {request.method} {request.path}")


def build_app(dep: Deployment) -> web.Application:
    app = web.Application(middlewares=[misbehaviour_middleware], client_max_size=64 * 1024**2)
    app[DEPLOYMENT_KEY] = dep
    app.router.add_get("/", handle_root)
    app.router.add_get("/version", handle_version)
    app.router.add_get("/instance_version", handle_version)
    app.router.add_get("/instance_name", handle_instance_name)
    app.router.add_get("/api/check_admin_key", handle_check_admin_key)
    app.router.add_post("/api/query_ts", handle_query_ts)
    for route in FUNCTION_ROUTES:
        app.router.add_post(route, handle_function)
    app.router.add_post("/api/run/{function_path:.+}", handle_function)
    app.router.add_get("/api/v1/get_canonical_urls", push_route(handle_canonical_urls, body=False))
    app.router.add_get("/api/stream_function_logs", push_route(handle_stream_function_logs, body=False))
    app.router.add_post("/api/get_config_hashes", push_route(handle_get_config_hashes))
    app.router.add_post("/api/deploy2/evaluate_schema", push_route(handle_evaluate_schema))
    app.router.add_post("/api/deploy2/start_push", push_route(handle_start_push))
    app.router.add_post("/api/deploy2/wait_for_schema", push_route(handle_wait_for_schema))
    app.router.add_post("/api/deploy2/finish_push", push_route(handle_finish_push))
    app.router.add_post("/api/deploy2/report_push_completed", push_route(handle_report_push_completed))
    app.router.add_get("/api/sync", handle_sync)
    app.router.add_get("/api/{client_version}/sync", handle_sync)
    app.router.add_route("*", "/{tail:.*}", handle_not_found)
    return app


# --------------------------------------------------------------------------------------
# Process entry point


def _emit(message: JsonObject | str) -> None:
    line = message if isinstance(message, str) else json.dumps(message)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _control_loop(dep: Deployment) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_CONTROL_LINE)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return  # stdin closed: our parent is gone or done with us
        if not line.strip():
            continue
        request_id: Json = None
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise ValueError("a command must be a JSON object")
            request_id = message.get("id")
            reply = await dep.command(message)
        except Exception as error:
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        if request_id is not None:
            reply["id"] = request_id
        _emit(reply)


async def serve(args: argparse.Namespace) -> None:
    dep = Deployment(args.version, args.instance_name, args.ping_interval)
    app = build_app(dep)
    # Request bodies are decoded by the handlers (read_push_body), per Content-Encoding.
    runner = web.AppRunner(
        app, access_log=None, shutdown_timeout=1.0, handle_signals=False, auto_decompress=False
    )
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    sock.setblocking(False)
    site = web.SockSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    dep.url = f"http://127.0.0.1:{port}"
    _emit(f"READY {dep.url}")
    try:
        await _control_loop(dep)
    finally:
        dep.shutting_down = True
        dep.misbehaviour = None
        dep._wake_silenced()
        dep.wake_log_pollers()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(dep.close_connections(), timeout=SHUTDOWN_SECONDS)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner.cleanup(), timeout=SHUTDOWN_SECONDS)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", default=DEFAULT_VERSION, help="served by GET /version")
    parser.add_argument("--instance-name", default=DEFAULT_INSTANCE_NAME)
    parser.add_argument("--ping-interval", type=float, default=DEFAULT_PING_INTERVAL)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
