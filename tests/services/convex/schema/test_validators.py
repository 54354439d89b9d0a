"""The validator tree: parsed once from the JSON the real convex package exports, written back
the same, described as convex/values writes it, and telling apart what the backend tells apart."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from cli.services.convex.schema.validator_json import decode_literal, encode_literal, parse, to_json
from cli.services.convex.schema.validators import (
    AnyValue,
    Float64,
    Int64,
    Literal,
    Malformed,
    Object,
    describe,
    normalized,
)
from tests.support.project import SCHEMA_HEADER, copy_project, schema_export, write_schema

EVERY_VALIDATOR = (
    SCHEMA_HEADER
    + """export default defineSchema({
  t: defineTable({
    s: v.string(), n: v.number(), i: v.int64(), b: v.boolean(), z: v.null(), y: v.bytes(), a: v.any(),
    l1: v.literal("x\\"y"), l2: v.literal(3), l3: v.literal(1.5), l4: v.literal(7n), l5: v.literal(false),
    l6: v.literal(-0), l7: v.literal(Infinity), id: v.id("t"), arr: v.array(v.union(v.string(), v.null())),
    rec: v.record(v.string(), v.object({ deep: v.optional(v.array(v.int64())) })),
    o: v.optional(v.object({})),
  }),
});
"""
)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    project = copy_project(tmp_path_factory.mktemp("validators") / "project")
    write_schema(project, EVERY_VALIDATOR)
    return schema_export(project)


def _document_type(export: dict[str, object]) -> dict[str, object]:
    tables = export["tables"]
    assert isinstance(tables, list)
    document_type: dict[str, object] = tables[0]["documentType"]
    return document_type


def test_what_the_real_builders_export_parses_and_is_written_back_the_same(export: dict[str, object]) -> None:
    document = _document_type(export)
    tree = parse(document)

    assert isinstance(tree, Object)
    assert json.dumps(to_json(tree), sort_keys=True) == json.dumps(document, sort_keys=True)


def test_descriptions_read_as_convex_values(export: dict[str, object]) -> None:
    tree = parse(_document_type(export))
    assert isinstance(tree, Object)
    described = {f.name: describe(f.validator) for f in tree.fields}

    assert described["l1"] == 'v.literal("x\\"y")'
    assert described["l2"] == "v.literal(3)"
    assert described["l3"] == "v.literal(1.5)"
    assert described["l4"] == "v.literal(7n)"
    assert described["l6"] == "v.literal(-0)"
    assert described["l7"] == "v.literal(Infinity)"
    assert described["arr"] == "v.array(v.union(v.string(), v.null()))"
    assert described["rec"] == "v.record(v.string(), v.object({deep: v.optional(v.array(v.int64()))}))"


def test_one_decoder_for_convex_json_numbers() -> None:
    assert decode_literal(3) == 3.0 and isinstance(decode_literal(3), float)  # a JSON number: float64
    assert decode_literal({"$integer": "BwAAAAAAAAA="}) == 7  # an int64
    negative_zero = decode_literal({"$float": "AAAAAAAAAIA="})
    assert isinstance(negative_zero, float) and math.copysign(1, negative_zero) < 0
    for value in (3.0, 1.5, 7, -0.0, math.inf, "s", True):
        assert decode_literal(encode_literal(value)) == value
    for bad in (None, [1], {"$integer": "not base64!"}, {"$float": "AAAA"}, {"$other": "AAAAAAAAAAA="}):
        assert decode_literal(bad) is None


def test_literals_of_different_kinds_are_different_types() -> None:
    # True == 1 == 1.0 in Python; to Convex they are three literals.
    assert len({Literal(True), Literal(1.0), Literal(1)}) == 3
    assert Literal(math.nan) == Literal(math.nan)
    assert Literal(-0.0) != Literal(0.0)


def test_equal_types_compare_equal_whatever_the_order() -> None:
    a = parse({"type": "union", "value": [{"type": "number"}, {"type": "bigint"}]})
    b = parse({"type": "union", "value": [{"type": "bigint"}, {"type": "number"}]})

    assert a != b and normalized(a) == normalized(b)
    assert set(normalized(a).members) == {Float64(), Int64()}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("json_value", "problem"),
    [
        ({"type": "strnig"}, "the backend does not know the validator 'strnig'"),
        ("string", "the backend does not know the validator 'str'"),
        ({"type": "literal", "value": None}, "v.literal(null) is not a string, number or boolean"),
        ({"type": "id"}, "v.id(...) has no table name"),
        ({"type": "object", "value": {"a": {"fieldType": {"type": "string"}}}}, "an object field lacks"),
        ({"type": "record", "keys": {"type": "string"}}, "the record validator lacks keys or values"),
    ],
)
def test_what_the_backend_refuses_is_malformed(json_value: object, problem: str) -> None:
    tree = parse(json_value)

    assert isinstance(tree, Malformed) and tree.problem.startswith(problem)


def test_map_and_set_are_any_as_in_the_backend() -> None:
    assert parse({"type": "map"}) == parse({"type": "set"}) == AnyValue()


def test_the_project_schema_round_trips() -> None:
    export = schema_export(Path(__file__).resolve().parents[4])
    for table in export["tables"]:
        document = table["documentType"]
        assert to_json(parse(document)) == document
