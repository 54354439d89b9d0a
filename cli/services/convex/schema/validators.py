"""Convex validators as a small typed tree, parsed once from their JSON, which the push rules,
the descriptions in messages, codegen and the generated models' run-time parsing all `match` on.

The JSON is what `defineSchema(...).export()` and a function's `exportArgs()` write, read as the
backend reads it (`ValidatorJson` in get-convex/convex-backend's crates/common/src/schemas/json.rs
at commit 94a42c3db): `map` and `set` are serde aliases of `any`; a literal's value is a string,
a boolean, a JSON number (a float64), or in Convex JSON `{"$integer": base64}` (an int64) or
`{"$float": base64}` (a float64 that JSON cannot write: NaN, the infinities, -0). What serde would
refuse becomes a `Malformed` node, which only the push rules meet: they reject such a schema.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct
from dataclasses import dataclass, field
from typing import Any

from cli.shared.types import JsonObject


@dataclass(frozen=True)
class String:
    pass


@dataclass(frozen=True)
class Float64:
    pass


@dataclass(frozen=True)
class Int64:
    pass


@dataclass(frozen=True)
class CommitTs:
    """A commit timestamp (the backend's own kind of int64)."""


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Null:
    pass


@dataclass(frozen=True)
class Bytes:
    pass


@dataclass(frozen=True)
class AnyValue:
    pass


LiteralValue = str | bool | float | int  # an int is an int64 literal; a float a float64 one


@dataclass(frozen=True, eq=False)
class Literal:
    value: LiteralValue

    def _key(self) -> tuple[str, str]:
        # True == 1 == 1.0 in Python, and NaN is not NaN: v.literal(true), v.literal(1) and
        # v.literal(1n) are three types, and v.literal(NaN) is itself.
        return type(self.value).__name__, repr(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Literal) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True)
class Id:
    table: str


@dataclass(frozen=True)
class Array:
    item: Validator


@dataclass(frozen=True)
class Record:
    keys: Validator
    values: Validator
    values_optional: bool = False  # the backend refuses it; kept so the push rules can say so


@dataclass(frozen=True)
class Field:
    name: str
    validator: Validator
    optional: bool = False


@dataclass(frozen=True)
class Object:
    fields: tuple[Field, ...]
    # The class the generated models made of this object (their registry names it); never
    # part of what the type is.
    name: str | None = field(default=None, compare=False)

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Union:
    members: tuple[Validator, ...]


@dataclass(frozen=True)
class Malformed:
    """JSON the backend's parser refuses: why, and the `type` it claimed (when a string)."""

    problem: str
    kind: str | None = None
    unknown: bool = False  # the type itself is unknown (not a shape problem of a known one)


Validator = (
    String
    | Float64
    | Int64
    | CommitTs
    | Boolean
    | Null
    | Bytes
    | AnyValue
    | Literal
    | Id
    | Array
    | Record
    | Object
    | Union
    | Malformed
)

SIMPLE: dict[str, Validator] = {
    "string": String(),
    "number": Float64(),
    "bigint": Int64(),
    "commitTs": CommitTs(),
    "boolean": Boolean(),
    "null": Null(),
    "bytes": Bytes(),
    "any": AnyValue(),
    "map": AnyValue(),  # serde aliases of `any`
    "set": AnyValue(),
}


# -- Convex JSON's numbers: the one decoder ----------------------------------------------------


def decode_literal(value: object) -> LiteralValue | None:
    """A literal's value from its JSON: strings and booleans as they are, a JSON number as a
    float64, `$integer` as an int, `$float` as a float; None for anything else."""
    if isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if not (isinstance(value, dict) and len(value) == 1):
        return None
    key, text = next(iter(value.items()))
    if key not in ("$integer", "$float") or not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 8:
        return None
    if key == "$integer":
        return int.from_bytes(raw, "little", signed=True)
    number: float = struct.unpack("<d", raw)[0]
    return number


def encode_literal(value: LiteralValue) -> object:
    """The JSON of a literal's value, as the JS builders write it."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return {"$integer": base64.b64encode(value.to_bytes(8, "little", signed=True)).decode()}
    if not math.isfinite(value) or (value == 0 and math.copysign(1, value) < 0):
        return {"$float": base64.b64encode(struct.pack("<d", value)).decode()}
    return int(value) if value.is_integer() else value  # JSON.stringify writes 3, not 3.0


# -- from JSON ---------------------------------------------------------------------------------


def parse(value: object) -> Validator:
    """The tree of one validator's JSON; what the backend refuses as `Malformed` nodes."""
    if not isinstance(value, dict):
        return Malformed(f"the backend does not know the validator {type(value).__name__!r}", unknown=True)
    kind = value.get("type")
    if not isinstance(kind, str) or (kind not in SIMPLE and kind not in COMPOUND):
        claimed = kind if isinstance(kind, str) else None
        return Malformed(f"the backend does not know the validator {kind!r}", claimed, unknown=True)
    if kind in SIMPLE:
        return SIMPLE[kind]
    return COMPOUND[kind](value)


def parse_field(spec: object) -> tuple[Validator, bool] | None:
    """`FieldTypeJson` ({fieldType, optional: bool}, both required): its validator and
    optionality; None when it is not one."""
    if not (isinstance(spec, dict) and "fieldType" in spec and isinstance(spec.get("optional"), bool)):
        return None
    return parse(spec["fieldType"]), bool(spec["optional"])


def _literal(value: JsonObject) -> Validator:
    decoded = decode_literal(value.get("value"))
    if decoded is None:
        shown = json.dumps(value.get("value"))
        return Malformed(f"v.literal({shown}) is not a string, number or boolean", "literal")
    return Literal(decoded)


def _id(value: JsonObject) -> Validator:
    table = value.get("tableName")
    return Id(table) if isinstance(table, str) else Malformed("v.id(...) has no table name", "id")


def _array(value: JsonObject) -> Validator:
    item = value.get("value")
    if not isinstance(item, dict):
        return Malformed("the array validator has no proper value", "array")
    return Array(parse(item))


def _union(value: JsonObject) -> Validator:
    members = value.get("value")
    if not isinstance(members, list):
        return Malformed("the union validator has no proper value", "union")
    return Union(tuple(parse(member) for member in members))


def _object(value: JsonObject) -> Validator:
    specs = value.get("value")
    if not isinstance(specs, dict):
        return Malformed("the object validator has no proper value", "object")
    fields = []
    for name, spec in specs.items():
        parsed = parse_field(spec)
        if parsed is None:
            return Malformed("an object field lacks fieldType or optional", "object")
        fields.append(Field(name, *parsed))
    name = value.get("class")
    return Object(tuple(fields), name if isinstance(name, str) else None)


def _record(value: JsonObject) -> Validator:
    keys, values = value.get("keys"), parse_field(value.get("values"))
    if not isinstance(keys, dict) or values is None:
        return Malformed("the record validator lacks keys or values", "record")
    return Record(parse(keys), *values)


COMPOUND = {
    "literal": _literal,
    "id": _id,
    "array": _array,
    "union": _union,
    "object": _object,
    "record": _record,
}


# -- to JSON, and in words ---------------------------------------------------------------------

TYPE_NAMES: dict[type, str] = {
    String: "string",
    Float64: "number",
    Int64: "bigint",
    CommitTs: "commitTs",
    Boolean: "boolean",
    Null: "null",
    Bytes: "bytes",
    AnyValue: "any",
    Literal: "literal",
    Id: "id",
    Array: "array",
    Record: "record",
    Object: "object",
    Union: "union",
}


def type_name(validator: Validator) -> str:
    """The validator's `type` in JSON (a malformed one's claimed type, or "malformed")."""
    if isinstance(validator, Malformed):
        return validator.kind or "malformed"
    return TYPE_NAMES[type(validator)]


def to_json(validator: Validator) -> JsonObject:
    """The validator's JSON, as the JS builders write it (an object's class name under "class")."""
    match validator:
        case Literal(value):
            return {"type": "literal", "value": encode_literal(value)}
        case Id(table):
            return {"type": "id", "tableName": table}
        case Array(item):
            return {"type": "array", "value": to_json(item)}
        case Record(keys, values, optional):
            return {"type": "record", "keys": to_json(keys), "values": field_json(values, optional)}
        case Object(fields, name):
            body = {f.name: field_json(f.validator, f.optional) for f in fields}
            return {"type": "object", "value": body, **({"class": name} if name else {})}
        case Union(members):
            return {"type": "union", "value": [to_json(m) for m in members]}
        case Malformed():
            raise ValueError(f"a malformed validator has no JSON: {validator.problem}")
        case _:
            return {"type": TYPE_NAMES[type(validator)]}


def field_json(validator: Validator, optional: bool) -> JsonObject:
    return {"fieldType": to_json(validator), "optional": optional}


def _js_number(value: float) -> str:
    """A float64 as JavaScript writes it in source: 3, 1.5, Infinity, NaN."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return "-0" if value == 0 and math.copysign(1, value) < 0 else str(int(value))
    return repr(value)


def describe_literal(value: LiteralValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}n"  # an int64 literal, as JS writes it
    if isinstance(value, float):
        return _js_number(value)
    return json.dumps(value, ensure_ascii=False)


def describe(validator: Validator) -> str:
    """The validator in convex/values notation, e.g. v.union(v.literal("chat"), ...)."""
    match validator:
        case String():
            return "v.string()"
        case Float64():
            return "v.number()"
        case Int64():
            return "v.int64()"
        case Boolean():
            return "v.boolean()"
        case Null():
            return "v.null()"
        case Bytes():
            return "v.bytes()"
        case AnyValue():
            return "v.any()"
        case CommitTs():
            return '{"type": "commitTs"}'
        case Literal(value):
            return f"v.literal({describe_literal(value)})"
        case Id(table):
            return f"v.id({json.dumps(table, ensure_ascii=False)})"
        case Array(item):
            return f"v.array({describe(item)})"
        case Union(members):
            return "v.union(" + ", ".join(describe(m) for m in members) + ")"
        case Record(keys, values, optional):
            return f"v.record({describe(keys)}, {describe_field(values, optional)})"
        case Object(fields):
            inner = ", ".join(f"{f.name}: {describe_field(f.validator, f.optional)}" for f in fields)
            return "v.object({" + inner + "})"
        case Malformed(problem):
            return f"(malformed: {problem})"


def describe_field(validator: Validator, optional: bool) -> str:
    text = describe(validator)
    return f"v.optional({text})" if optional else text


def normalized(validator: Validator) -> Validator:
    """A form in which equal types are equal: union members and object fields in one order."""
    match validator:
        case Array(item):
            return Array(normalized(item))
        case Record(keys, values, optional):
            return Record(normalized(keys), normalized(values), optional)
        case Object(fields):
            ordered = sorted(fields, key=lambda f: f.name)
            return Object(tuple(Field(f.name, normalized(f.validator), f.optional) for f in ordered))
        case Union(members):
            inner = [normalized(m) for m in members]
            return Union(tuple(sorted(inner, key=lambda m: json.dumps(_sort_key(m), sort_keys=True))))
        case _:
            return validator


def _sort_key(validator: Validator) -> Any:
    return to_json(validator) if not isinstance(validator, Malformed) else {"malformed": validator.problem}
