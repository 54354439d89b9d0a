"""Validators' JSON, read into the tree of validators.py and written back: the one reader of
Convex JSON's `$integer` and `$float` (see validators.py for the forms)."""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct

from cli.services.convex.schema.validators import (
    TYPE_NAMES,
    AnyValue,
    Array,
    Boolean,
    Bytes,
    CommitTs,
    Field,
    Float64,
    Id,
    Int64,
    Literal,
    LiteralValue,
    Malformed,
    Null,
    Object,
    Record,
    String,
    Union,
    Validator,
    is_negative_zero,
)
from cli.shared.types import JsonObject

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
    if not math.isfinite(value) or is_negative_zero(value):
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
