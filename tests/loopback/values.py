"""Convex JSON values, ids and function paths; the backend's ``{code, message}`` error
answer; and the defaults and caps the other modules share."""

from __future__ import annotations

import base64
import json
import math
import re
import secrets
import struct
from typing import Any, Final

from aiohttp import web

Json = Any
JsonObject = dict[str, Any]

DEFAULT_VERSION: Final = "1.29.0"
DEFAULT_INSTANCE_NAME: Final = "loopback-test"
DEFAULT_PING_INTERVAL: Final = 5.0
# Hard caps so that nothing in this server waits forever (see also control.py).
SHUTDOWN_SECONDS: Final = 3.0
MAX_CONTROL_LINE: Final = 64 * 1024 * 1024

ID_ALPHABET: Final = "0123456789abcdefghjkmnpqrstvwxyz"
MODULE_RE: Final = re.compile(r"^[A-Za-z0-9_\-.]+(/[A-Za-z0-9_\-.]+)*$")
FUNCTION_RE: Final = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


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
# Error answers


def convex_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)
