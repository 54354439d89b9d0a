"""The control channel's commands (see the package docstring): each takes the deployment
and the command object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from tests.loopback.functions import FunctionSpec
from tests.loopback.state import MISBEHAVIOURS, Deployment, Misbehaviour
from tests.loopback.values import Json, JsonObject, canonical_path

# Hard caps so that nothing in this server waits forever.
MAX_SILENCE_SECONDS: Final = 600.0
MAX_ENDLESS_BODY_SECONDS: Final = 600.0


async def run_command(dep: Deployment, message: JsonObject) -> JsonObject:
    name = message.get("cmd")
    handler = COMMANDS.get(str(name))
    if handler is None:
        raise ValueError(f"unknown command {name!r}; known: {sorted(COMMANDS)}")
    result = await handler(dep, message)
    return {"ok": True, "result": result}


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


def _read_log(log: list[JsonObject], msg: JsonObject) -> Json:
    """A copy of one of the deployment's logs; emptied when the message says `clear`."""
    records = list(log)
    if msg.get("clear"):
        log.clear()
    return records


async def _cmd_requests(dep: Deployment, msg: JsonObject) -> Json:
    return _read_log(dep.requests, msg)


async def _cmd_wait_request(dep: Deployment, msg: JsonObject) -> Json:
    seconds = min(float(msg.get("seconds") or 10.0), MAX_SILENCE_SECONDS)
    return await dep.wait_request(str(msg["path"]), int(msg.get("count") or 1), seconds)


async def _cmd_sync_messages(dep: Deployment, msg: JsonObject) -> Json:
    return _read_log(dep.sync_messages, msg)


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


async def _cmd_set_env(dep: Deployment, msg: JsonObject) -> Json:
    name, value = msg.get("name"), msg.get("value")
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    if value is not None and not isinstance(value, str):
        raise ValueError("value must be a string, or null to delete the variable")
    dep.set_environment_variable(name, value)
    return dep.store.environment_variable_documents()


async def _cmd_env(dep: Deployment, msg: JsonObject) -> Json:
    return dep.store.environment_variable_documents()


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
    "set_env": _cmd_set_env,
    "env": _cmd_env,
}
