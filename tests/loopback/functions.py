"""Functions registered declaratively over the control channel, and the system functions the
real CLI calls (``system_udfs``), run against an in-memory document store."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Final

from tests.loopback.system_udfs import SYSTEM_FUNCTIONS
from tests.loopback.values import (
    Json,
    JsonObject,
    as_convex_numbers,
    canonical_path,
    new_document_id,
    new_request_id,
    to_plain_json,
)

FUNCTION_KINDS: Final = ("query", "mutation", "action")
BEHAVIOURS: Final = ("returns", "echo", "list", "count", "insert", "error")
ARG_TYPES: Final = ("string", "number", "boolean", "any", "id", "object", "array", "null")


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

    @staticmethod
    def system(path: str) -> FunctionSpec | None:
        """The system query at this canonical path (see system_udfs), if there is one."""
        function = SYSTEM_FUNCTIONS.get(path)
        if function is None:
            return None
        return FunctionSpec(path=path, kind="query", spec={"system": True, "args": dict(function.args)})


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
    """Documents by table; also the deployment's environment variables (the backend's
    ``_environment_variables`` system table, kept apart from the user tables), and a random
    token per table that changes when the table does (what ``_system/cli/queryTable`` returns)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[JsonObject]] = {}
        self.environment_variables: dict[str, JsonObject] = {}
        self._change_tokens: dict[str, float] = {}
        self._last_creation_time = 0.0

    def _creation_time(self) -> float:
        now = time.time() * 1000.0
        creation_time = max(now, self._last_creation_time + 0.001)
        self._last_creation_time = creation_time
        return creation_time

    def insert(self, table: str, document: JsonObject) -> str:
        doc_id = new_document_id()
        stored = {"_id": doc_id, "_creationTime": self._creation_time(), **as_convex_numbers(document)}
        self.tables.setdefault(table, []).append(stored)
        self._change_tokens[table] = random.random()
        return doc_id

    def documents(self, table: str) -> list[JsonObject]:
        return list(self.tables.get(table, []))

    def change_token(self, table: str) -> float:
        return self._change_tokens.setdefault(table, random.random())

    def set_environment_variable(self, name: str, value: str | None) -> bool:
        """Set (a new document, or the old one patched) or, with None, delete one; whether
        anything changed."""
        current = self.environment_variables.get(name)
        if value is None:
            return self.environment_variables.pop(name, None) is not None
        if current is not None:
            changed = bool(current["value"] != value)
            current["value"] = value
            return changed
        self.environment_variables[name] = {
            "_id": new_document_id(),
            "_creationTime": self._creation_time(),
            "name": name,
            "value": value,
        }
        return True

    def environment_variable_documents(self) -> list[JsonObject]:
        """As ``db.query("_environment_variables").withIndex("by_name").order("asc")`` lists them."""
        return [dict(self.environment_variables[name]) for name in sorted(self.environment_variables)]


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
    if "system" in spec.spec:
        return Outcome(success=True, value=SYSTEM_FUNCTIONS[spec.path].run(args, store), log_lines=log_lines)
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
