"""The HTTP side: routes, misbehaviour, function calls, the sync WebSocket upgrade and the
push API's handlers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import sys
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import WSMsgType, web

from tests.loopback.functions import Outcome
from tests.loopback.push import (
    MAX_PENDING_PUSHES,
    PushError,
    parse_push_request,
    push_summary,
    start_push_response,
    without_secrets,
)
from tests.loopback.schema_diff import evaluate_schema_response
from tests.loopback.state import Deployment
from tests.loopback.sync import SyncConnection
from tests.loopback.values import (
    MAX_CONTROL_LINE,
    BadPath,
    JsonObject,
    canonical_path,
    convex_error,
    encode_ts,
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FUNCTION_ROUTES: Final = (
    "/api/query",
    "/api/mutation",
    "/api/action",
    "/api/function",
    "/api/query_at_ts",
)

HTML_404: Final = (
    "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    "<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
    "<hr><address>nginx</address></body></html>\n"
)
ROOT_TEXT: Final = "This Convex deployment is running. See https://docs.convex.dev/."


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


async def handle_url_for_key(request: web.Request) -> web.Response:
    """Convex's management API ("Big Brain", CONVEX_PROVISION_HOST in the CLI) finding a deploy
    key's deployment: this deployment for a key that is its admin key, else its 401."""
    dep = _dep(request)
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Bearer" and dep.admin_key is not None and secrets.compare_digest(key, dep.admin_key):
        return web.json_response({"url": dep.url, "adminKey": key})
    return convex_error(401, "AuthenticationFailed", "Invalid Convex deploy key")


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
    # A refused schema is a 400 here too. The CLI's call is best effort
    # (src/cli/lib/schemaEvaluation.ts): any failure only skips its pre-push checks, as does
    # the 404 of the open-source backend, which has no such route.
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
            # start_push in crates/local_backend/src/deploy_config2.rs adds this line; the
            # CLI prints "... 400 Bad Request: CODE: " + this message, and waits for a change.
            raise PushError(
                error.code, f"Hit an error while pushing:\n{error.message}", error.status
            ) from None
        schema_export = json.loads(pending.schema)
    dep.push.pending[pending.push_id] = pending
    while len(dep.push.pending) > MAX_PENDING_PUSHES:
        dep.push.pending.pop(next(iter(dep.push.pending)))
    current = json.loads(dep.push.schema) if dep.push.schema is not None else None
    return web.json_response(start_push_response(pending, schema_export, current, dep.environment_variables))


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
    app.router.add_post("/api/deployment/url_for_key", handle_url_for_key)
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
