"""The self-hosted push API (what the real ``npx convex dev`` / ``convex deploy`` talk to):
what a push carries and leaves behind, and the pushed schema evaluated by the real Node."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cli.shared.process import RESULT_FILE_ENV, signal_group
from tests.loopback.schema_diff import index_diff
from tests.loopback.values import DEFAULT_VERSION, SHUTDOWN_SECONDS, Json, JsonObject

PUSH_EVAL_TIMEOUT: Final = 30.0
DEFAULT_LOG_POLL_SECONDS: Final = 1.0
MAX_PENDING_PUSHES: Final = 8
SCHEMA_CACHE_SIZE: Final = 16
HEALTH_MODULE: Final = "health.js"
HEALTH_PATH: Final = "health:ping"
# Evaluates a pushed schema bundle; see the script for how it reports.
EVALUATE_SCHEMA_SCRIPT: Final = Path(__file__).with_name("evaluate_pushed_schema.mjs")


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


async def evaluate_pushed_schema(source: str, timeout: float = PUSH_EVAL_TIMEOUT) -> str:
    """The JSON string the pushed schema bundle's ``default.export()`` returns, computed by
    the real Node in a child process (its own session, killed at the deadline) that writes
    its result to the file $APP_RESULT_FILE names."""
    node = shutil.which("node")
    if node is None:
        raise PushError("InvalidSchema", "Hit an error while evaluating your schema:\nnode is not on PATH")
    with tempfile.TemporaryDirectory(prefix="loopback-schema-") as tmp:
        bundle = Path(tmp) / "schema.mjs"
        bundle.write_text(source, encoding="utf-8")
        result_file = Path(tmp) / "result.json"
        process = await asyncio.create_subprocess_exec(
            node,
            str(EVALUATE_SCHEMA_SCRIPT),
            str(bundle),
            cwd=tmp,
            env={**os.environ, RESULT_FILE_ENV: str(result_file)},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,  # the result comes in the file, whole
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
        except TimeoutError:
            raise PushError(
                "InvalidSchema",
                "Hit an error while evaluating your schema:\n"
                f"Function execution timed out (maximum duration: {timeout:g}s)",
            ) from None
        finally:
            if process.returncode is None:
                signal_group(process.pid, signal.SIGKILL)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(process.wait(), timeout=SHUTDOWN_SECONDS)
        result: JsonObject | None = None
        with contextlib.suppress(OSError, ValueError):
            result = json.loads(result_file.read_text(encoding="utf-8"))
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
    pending: PendingPush,
    schema_export: JsonObject | None,
    current: JsonObject | None,
    environment_variables: dict[str, str] | None = None,
) -> JsonObject:
    """The smallest answer the CLI's zod schemas (src/cli/lib/deployApi/startPush.ts) and its
    codegen accept: codegen looks up ``analysis[""]`` for the root component. ``pushId``
    is ours; the CLI passes it back in finish_push's ``startPush`` (its objects are loose)."""
    return {
        "pushId": pending.push_id,
        "environmentVariables": dict(environment_variables or {}),
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
