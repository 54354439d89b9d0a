"""Convex validators as a small typed tree, parsed once from their JSON, which the push rules,
the descriptions in messages, codegen and the generated models' run-time parsing all `match` on.

The JSON is what `defineSchema(...).export()` and a function's `exportArgs()` write, read as the
backend reads it (`ValidatorJson` in get-convex/convex-backend's crates/common/src/schemas/json.rs
at commit 94a42c3db): `map` and `set` are serde aliases of `any`; a literal's value is a string,
a boolean, a JSON number (a float64), or in Convex JSON `{"$integer": base64}` (an int64) or
`{"$float": base64}` (a float64 that JSON cannot write: NaN, the infinities, -0). What serde would
refuse becomes a `Malformed` node, which only the push rules meet: they reject such a schema.
The JSON is read and written in validator_json.py; here are the tree and how it reads.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal


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
# The ints a Literal[...] type may hold: mypy keeps them in 64 bits and reads -2**63 as
# -(2**63), which overflows.
LITERAL_INT_LIMIT = 2**63 - 1


def python_literal(value: LiteralValue) -> LiteralValue | None:
    """The literal as a Literal[...] type holds it (an integral float64 as the int it equals),
    or None where Python's types have none: a float with a fraction, -0, NaN, the infinities,
    and ints beyond LITERAL_INT_LIMIT. Codegen annotates those `float` or `int`, and parsing
    returns the value as that type."""
    if isinstance(value, str | bool):
        return value
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()) or is_negative_zero(value):
            return None
        value = int(value)
    return value if abs(value) <= LITERAL_INT_LIMIT else None


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


def is_negative_zero(value: float) -> bool:
    return value == 0 and math.copysign(1.0, value) == -1.0


def _js_number(value: float) -> str:
    """A float64 as JavaScript writes it: ECMA-262 Number::toString(10) (3, 1.5, 1e-7, 1e+21,
    1152921504606847000, Infinity, NaN), except that -0 keeps its sign as in source."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0" if is_negative_zero(value) else "0"
    # The shortest digits that read back as the value (repr's, as JavaScript's), and n: the
    # value is 0.digits x 10**n.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k, n = len(digits), len(digits) + int(exponent)
    sign = "-" if value < 0 else ""
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{sign}{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return f"{sign}0.{'0' * -n}{digits}"
    mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{mantissa}e{'+' if n > 0 else '-'}{abs(n - 1)}"


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
            return Union(tuple(sorted(inner, key=describe)))
        case _:
            return validator
