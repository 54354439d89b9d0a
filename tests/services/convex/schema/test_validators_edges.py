"""The validator tree's edges, in-process: every kind described as convex/values writes it, every
literal the way JavaScript and Convex JSON write it, normalized forms, and the JSON the backend
refuses. Each test names where its rule comes from."""

from __future__ import annotations

import base64
import json
import math
import random
import struct
import subprocess

import pytest

from cli.services.convex.schema.validator_json import (
    decode_literal,
    encode_literal,
    parse,
    parse_field,
    to_json,
)
from cli.services.convex.schema.validators import (
    LITERAL_INT_LIMIT,
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
    Malformed,
    Null,
    Object,
    Record,
    String,
    Union,
    describe,
    describe_literal,
    normalized,
    python_literal,
    type_name,
)


@pytest.mark.parametrize(
    ("validator", "text"),
    [
        (String(), "v.string()"),
        (Float64(), "v.number()"),
        (Int64(), "v.int64()"),
        (Boolean(), "v.boolean()"),
        (Null(), "v.null()"),
        (Bytes(), "v.bytes()"),
        (AnyValue(), "v.any()"),
        (CommitTs(), '{"type": "commitTs"}'),  # no v.* builder writes it
        (Id("bücher"), 'v.id("bücher")'),
        (Literal("é"), 'v.literal("é")'),
        (Array(Bytes()), "v.array(v.bytes())"),
        (Record(String(), Null(), values_optional=True), "v.record(v.string(), v.optional(v.null()))"),
        (Record(Id("t"), Null()), 'v.record(v.id("t"), v.null())'),
        (
            Object((Field("a", String()), Field("b", Int64(), optional=True))),
            "v.object({a: v.string(), b: v.optional(v.int64())})",
        ),
        (Union((String(), Null())), "v.union(v.string(), v.null())"),
        (Malformed("no value", "array"), "(malformed: no value)"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else "",
)
def test_every_kind_is_described_as_convex_values_writes_it(validator: object, text: str) -> None:
    """The builders of node_modules/convex/src/values/validator.ts (`v.string()`, ...,
    `v.optional(...)`); non-ASCII names as they are, since the source holds them so."""
    assert describe(validator) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (7, "7n"),
        (-(2**63), "-9223372036854775808n"),
        (3.0, "3"),
        (-0.0, "-0"),
        (0.0, "0"),
        (1.5, "1.5"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (-1.5, "-1.5"),
        (0.00001, "0.00001"),
        (1e-7, "1e-7"),
        (-2.5e-7, "-2.5e-7"),
        (2.0**60, "1152921504606847000"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (math.nan, "NaN"),
        ("x", '"x"'),
        ("ünï", '"ünï"'),
    ],
    ids=lambda value: "" if isinstance(value, str) and not (value.isascii() and value.isalnum()) else None,
)
def test_literals_read_as_javascript_source(value: bool | int | float | str, text: str) -> None:
    """A literal as it is written in schema.ts: a float64 as JavaScript's Number::toString
    (ECMA-262 §6.1.6.1.20: exponent form from 1e21 on, -0 written "-0" as in source), an
    int64 as a bigint literal with `n` (convex/src/values/value.ts: bigint is int64)."""
    assert describe_literal(value) == text


def test_float_literals_read_as_node_writes_them() -> None:
    """Random doubles of every exponent, and whole numbers up to 1e22, through node's String()."""
    rng = random.Random(18)
    values = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(1500)]
    values = [v for v in values if math.isfinite(v) and v != 0]
    values += [rng.uniform(-10, 10) * 10.0 ** rng.randint(-30, 30) for _ in range(500)]
    values += [float(rng.randint(-(10**22), 10**22)) for _ in range(500)]
    script = (
        "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(JSON.stringify(v.map(String)))"
    )

    written = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    assert [describe_literal(v) for v in values] == json.loads(written.stdout)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s", "s"),
        (True, True),
        (3.0, 3),
        (0.0, 0),
        (-0.0, None),
        (1.5, None),
        (math.inf, None),
        (math.nan, None),
        (LITERAL_INT_LIMIT, LITERAL_INT_LIMIT),
        (-LITERAL_INT_LIMIT, -LITERAL_INT_LIMIT),
        (2**63, None),
        (-(2**63), None),
        (float(2**63), None),
    ],
)
def test_python_literal_exists_only_where_python_has_one(
    value: bool | int | float | str, expected: object
) -> None:
    """-0 is a distinct Convex value (convex/src/values/value.ts `isSpecial`: Object.is(n, -0)),
    which no Python int literal can stand for."""
    result = python_literal(value)
    assert result == expected and type(result) is type(expected)


def test_type_names_are_the_json_types() -> None:
    """The `type` of ValidatorJSON (node_modules/convex/src/values/validators.ts); a malformed
    one says the type it claimed, else that it is malformed."""
    assert type_name(Malformed("why", "record")) == "record"
    assert type_name(Malformed("why")) == "malformed"
    assert type_name(Float64()) == "number" and type_name(Int64()) == "bigint"


def test_normalized_orders_fields_and_members_at_every_depth() -> None:
    """Equal types compare equal: an object's fields are a map by name to the backend
    (crates/common/src/schemas/validator.rs: `ObjectValidator(BTreeMap<IdentifierFieldName,
    FieldValidator>)`), and a union admits the same values whatever order it lists them in."""
    one = Object(
        (
            Field("b", Array(Union((String(), Null())))),
            Field(
                "a",
                Record(Union((String(), Id("t"))), Object((Field("y", Int64()), Field("x", Null())))),
                True,
            ),
        )
    )
    two = Object(
        (
            Field(
                "a",
                Record(Union((Id("t"), String())), Object((Field("x", Null()), Field("y", Int64())))),
                True,
            ),
            Field("b", Array(Union((Null(), String())))),
        )
    )

    assert one != two
    assert normalized(one) == normalized(two)
    # members in the order of their descriptions: v.id("t") < v.null() < v.string()
    assert normalized(one) == Object(
        (
            Field(
                "a",
                Record(Union((Id("t"), String())), Object((Field("x", Null()), Field("y", Int64())))),
                True,
            ),
            Field("b", Array(Union((Null(), String())))),
        )
    )
    assert normalized(Record(String(), Null(), values_optional=True)) == Record(String(), Null(), True)
    assert normalized(String()) == String()


def test_normalized_keeps_what_differs() -> None:
    assert normalized(Array(String())) != normalized(Array(Null()))
    assert normalized(Record(String(), Null())) != normalized(Record(String(), Null(), True))
    assert normalized(Object((Field("a", String()),))) != normalized(Object((Field("a", String(), True),)))
    assert normalized(Object((Field("a", String()),))) != normalized(Object((Field("b", String()),)))


def _int64_json(value: int) -> dict[str, str]:
    return {"$integer": base64.b64encode(struct.pack("<q", value)).decode()}


def _float_json(value: float) -> dict[str, str]:
    return {"$float": base64.b64encode(struct.pack("<d", value)).decode()}


@pytest.mark.parametrize(
    ("value", "json_value"),
    [
        (7, _int64_json(7)),
        (-7, _int64_json(-7)),
        (-(2**63), _int64_json(-(2**63))),
        (-0.0, _float_json(-0.0)),
        (math.inf, _float_json(math.inf)),
        (-math.inf, _float_json(-math.inf)),
        (0.0, 0),
        (3.0, 3),
        (-2.5, -2.5),
        (True, True),
        ("s", "s"),
    ],
)
def test_literal_values_are_written_as_convex_json(
    value: bool | int | float | str, json_value: object
) -> None:
    """`convexToJson` in node_modules/convex/src/values/value.ts: a bigint as `$integer`, eight
    little-endian bytes of a signed int64; NaN, the infinities and -0 (`isSpecial`) as
    `$float`; any other number as a JSON number (JSON.stringify writes 3, not 3.0)."""
    encoded = encode_literal(value)
    assert encoded == json_value and type(encoded) is type(json_value)


def test_nan_is_written_as_a_float() -> None:
    encoded = encode_literal(math.nan)
    assert isinstance(encoded, dict) and list(encoded) == ["$float"]
    assert math.isnan(struct.unpack("<d", base64.b64decode(encoded["$float"]))[0])


@pytest.mark.parametrize(
    ("json_value", "problem", "kind"),
    [
        ({"type": "array"}, "the array validator has no proper value", "array"),
        ({"type": "array", "value": "string"}, "the array validator has no proper value", "array"),
        ({"type": "union", "value": {"type": "string"}}, "the union validator has no proper value", "union"),
        ({"type": "object", "value": []}, "the object validator has no proper value", "object"),
        ({"type": "id", "tableName": 3}, "v.id(...) has no table name", "id"),
        ({"type": "literal", "value": [1]}, "v.literal([1]) is not a string, number or boolean", "literal"),
        (
            {
                "type": "record",
                "keys": "string",
                "values": {"fieldType": {"type": "string"}, "optional": False},
            },
            "the record validator lacks keys or values",
            "record",
        ),
        (
            {"type": "record", "keys": {"type": "string"}, "values": {"fieldType": {"type": "string"}}},
            "the record validator lacks keys or values",
            "record",
        ),
        (
            {"type": "object", "value": {"a": {"fieldType": {"type": "string"}}}},
            "an object field lacks fieldType or optional",
            "object",
        ),
        ({"type": 3}, "the backend does not know the validator 3", None),
        ("string", "the backend does not know the validator 'str'", None),
    ],
)
def test_what_serde_refuses_is_malformed_with_its_claimed_type(
    json_value: object, problem: str, kind: str | None
) -> None:
    """`ValidatorJson` in crates/common/src/schemas/json.rs: each kind's required keys and their
    JSON types, `FieldTypeJson` with both `fieldType` and a boolean `optional`."""
    assert parse(json_value) == Malformed(problem, kind, unknown=kind is None)


def test_an_unknown_type_is_malformed_and_claims_its_name() -> None:
    """`#[serde(tag = "type")]` on `ValidatorJson` in crates/common/src/schemas/json.rs: an
    unknown tag is refused; the name it gave is what a message can show."""
    assert parse({"type": "strnig"}) == Malformed(
        "the backend does not know the validator 'strnig'", "strnig", True
    )
    assert type_name(parse({"type": "strnig"})) == "strnig"


def test_an_objects_class_name_is_kept_when_it_is_a_string() -> None:
    """The generated models' class name, which to_json writes back under "class" (no part of
    the type: the backend's `ObjectValidator` has no such field)."""
    named = parse({"type": "object", "value": {}, "class": "Thing"})
    unnamed = parse({"type": "object", "value": {}, "class": 3})

    assert isinstance(named, Object) and named.name == "Thing"
    assert isinstance(unnamed, Object) and unnamed.name is None
    assert to_json(named) == {"type": "object", "value": {}, "class": "Thing"}


@pytest.mark.parametrize(
    ("json_value", "value"),
    [
        ({"$integer": "/////////38="}, 2**63 - 1),
        ({"$integer": "AAAAAAAAAIA="}, -(2**63)),
        ({"$integer": "+f////////8="}, -7),
        ({"$integer": "BwAA*AAAAAAA="}, None),  # not base64: the backend's base64::decode refuses it
        ({"$float": "AAAAAAAA+H8="}, math.nan),
    ],
)
def test_convex_json_numbers_decode_as_the_backend_reads_them(json_value: object, value: object) -> None:
    """`JsonInteger::decode` in crates/value/src/json/integer.rs: base64 of eight bytes, a
    little-endian i64 (so negative numbers too); `JsonFloat::decode` likewise for a float64."""
    decoded = decode_literal(json_value)
    if isinstance(value, float) and math.isnan(value):
        assert isinstance(decoded, float) and math.isnan(decoded)
    else:
        assert decoded == value and type(decoded) is type(value)


def test_a_field_needs_a_boolean_optional() -> None:
    """`FieldTypeJson { field_type, optional: bool }` in crates/common/src/schemas/json.rs."""
    assert parse_field({"fieldType": {"type": "string"}, "optional": True}) == (String(), True)
    assert parse_field({"fieldType": {"type": "string"}, "optional": 1}) is None
    assert parse_field({"optional": False}) is None


def test_a_record_with_optional_values_parses_as_such() -> None:
    """The builders can write it (`v.record(k, v.optional(x))` in convex/src/values/validators.ts
    VRecord.json); the backend refuses it later, so the tree keeps it."""
    json_value = {
        "type": "record",
        "keys": {"type": "string"},
        "values": {"fieldType": {"type": "number"}, "optional": True},
    }

    assert parse(json_value) == Record(String(), Float64(), values_optional=True)
    assert to_json(parse(json_value)) == json_value


def test_a_malformed_validator_has_no_json() -> None:
    with pytest.raises(ValueError, match=r"^a malformed validator has no JSON: the array validator"):
        to_json(parse({"type": "array"}))
