"""Convex validators as the backend sees them (the JSON of `defineSchema(...).export()`).

`v` mirrors `convex/values` so the contract reads like schema.ts; `describe` turns a
validator back into that notation for messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Validator = dict[str, Any]


@dataclass(frozen=True)
class Optional:
    """A field validator wrapped in v.optional(...)."""

    validator: Validator


class _V:
    @staticmethod
    def string() -> Validator:
        return {"type": "string"}

    @staticmethod
    def number() -> Validator:
        return {"type": "number"}

    @staticmethod
    def int64() -> Validator:
        return {"type": "bigint"}

    @staticmethod
    def boolean() -> Validator:
        return {"type": "boolean"}

    @staticmethod
    def null() -> Validator:
        return {"type": "null"}

    @staticmethod
    def bytes() -> Validator:
        return {"type": "bytes"}

    @staticmethod
    def any() -> Validator:
        return {"type": "any"}

    @staticmethod
    def id(table: str) -> Validator:
        return {"type": "id", "tableName": table}

    @staticmethod
    def literal(value: str | float | bool) -> Validator:
        return {"type": "literal", "value": value}

    @staticmethod
    def array(item: Validator) -> Validator:
        return {"type": "array", "value": item}

    @staticmethod
    def union(*members: Validator) -> Validator:
        return {"type": "union", "value": list(members)}

    @staticmethod
    def optional(validator: Validator) -> Optional:
        return Optional(validator)


v = _V()


def normalize(validator: Validator) -> Validator:
    """A form where equal types compare equal: union members in a fixed order."""
    kind = validator.get("type")
    if kind == "union":
        members = [normalize(m) for m in validator.get("value", [])]
        return {"type": "union", "value": sorted(members, key=lambda m: json.dumps(m, sort_keys=True))}
    if kind == "array":
        return {"type": "array", "value": normalize(validator.get("value", {}))}
    if kind == "record":
        return {
            "type": "record",
            "keys": normalize(validator.get("keys", {})),
            "values": {
                "fieldType": normalize(validator.get("values", {}).get("fieldType", {})),
                "optional": bool(validator.get("values", {}).get("optional", False)),
            },
        }
    if kind == "object":
        return {
            "type": "object",
            "value": {
                name: {"fieldType": normalize(f.get("fieldType", {})), "optional": bool(f.get("optional"))}
                for name, f in validator.get("value", {}).items()
            },
        }
    return validator


def literal_value(expected: object) -> object:
    """A literal validator's value as Python has it (Convex JSON: `$integer`, `$float`)."""
    import base64
    import struct

    if isinstance(expected, dict) and "$integer" in expected:
        return int.from_bytes(base64.b64decode(expected["$integer"]), "little", signed=True)
    if isinstance(expected, dict) and "$float" in expected:  # NaN, the infinities, -0
        return float(struct.unpack("<d", base64.b64decode(expected["$float"]))[0])
    return expected


def describe(validator: Validator) -> str:
    """Render a validator in convex/values notation, e.g. v.union(v.literal("chat"), ...)."""
    kind = validator.get("type")
    simple = {
        "string": "v.string()",
        "number": "v.number()",
        "bigint": "v.int64()",
        "boolean": "v.boolean()",
        "null": "v.null()",
        "bytes": "v.bytes()",
        "any": "v.any()",
    }
    if kind in simple:
        return simple[kind]
    if kind == "id":
        return f"v.id({json.dumps(validator.get('tableName'), ensure_ascii=False)})"
    if kind == "literal":
        raw = validator.get("value")
        if isinstance(raw, dict) and "$integer" in raw:  # an int64 literal, as JS writes it
            return f"v.literal({literal_value(raw)}n)"
        return f"v.literal({json.dumps(literal_value(raw), ensure_ascii=False)})"
    if kind == "array":
        return f"v.array({describe(validator.get('value', {}))})"
    if kind == "union":
        return "v.union(" + ", ".join(describe(m) for m in validator.get("value", [])) + ")"
    if kind == "record":
        values = validator.get("values", {})
        return f"v.record({describe(validator.get('keys', {}))}, {describe(values.get('fieldType', {}))})"
    if kind == "object":
        fields = validator.get("value", {})
        inner = ", ".join(
            f"{name}: {describe_field(f.get('fieldType', {}), bool(f.get('optional')))}"
            for name, f in fields.items()
        )
        return "v.object({" + inner + "})"
    return json.dumps(validator, sort_keys=True)


def describe_field(validator: Validator, optional: bool) -> str:
    text = describe(validator)
    return f"v.optional({text})" if optional else text
