"""Random valid schemas and random documents for them: every generated module imports,
every document parses and encodes back to an equal value, and every single-leaf corruption is
rejected with the path of that leaf. The modules are then judged by ruff and mypy --strict in
one run each.

`make test` runs a short profile; `make property` runs the long one (PROPERTY_EXAMPLES).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cli.services.convex.push import check_push_rules
from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import encode_literal, parse
from cli.services.convex.typegen.formatter import format_sources
from cli.services.convex.typegen.generator import Generator
from cli.services.convex.typegen.source import documents_source
from cli.shared.report import Severity
from tests.support.generated import import_file, mypy_errors, plain, ruff_problems, write_modules

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "25"))
pytestmark = pytest.mark.slow
COUNTER = itertools.count()

# Names the backend accepts, with the ones Python cannot take as they are well represented.
TRICKY = [
    "type",
    "class",
    "class_",
    "str",
    "float",
    "field",
    "UNSET",
    "Literal",
    "match",
    "None",
    "__x",
    "fields",
]
names = st.one_of(st.sampled_from(TRICKY), st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True))
TABLES = ["t0", "t1"]


def _literal_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.text(max_size=4),
        st.booleans(),
        st.floats(allow_nan=False, width=64),
        st.integers(-(2**63), 2**63 - 1),
    )


LEAVES = st.one_of(
    st.sampled_from(
        [{"type": kind} for kind in ("string", "number", "bigint", "boolean", "null", "bytes", "any")]
        + [{"type": "id", "tableName": t} for t in TABLES]
    ),
    _literal_values().map(lambda value: {"type": "literal", "value": encode_literal(value)}),
)


def _compound(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    field = st.fixed_dictionaries({"fieldType": children, "optional": st.booleans()})
    return st.one_of(
        children.map(lambda item: {"type": "array", "value": item}),
        st.dictionaries(names, field, max_size=3).map(lambda fields: {"type": "object", "value": fields}),
        st.lists(children, min_size=1, max_size=3).map(lambda members: {"type": "union", "value": members}),
        st.tuples(st.sampled_from([{"type": "string"}, {"type": "id", "tableName": "t0"}]), children).map(
            lambda kv: {"type": "record", "keys": kv[0], "values": {"fieldType": kv[1], "optional": False}}
        ),
    )


validators = st.recursive(LEAVES, _compound, max_leaves=8)
# A document's own fields cannot start with `_` (the backend keeps those for system fields).
document_fields = st.dictionaries(
    names.filter(lambda name: not name.startswith("_")),
    st.fixed_dictionaries({"fieldType": validators, "optional": st.booleans()}),
    max_size=5,
)


@st.composite
def exports(draw: st.DrawFn) -> dict[str, Any]:
    tables = []
    for name in TABLES:
        fields = draw(document_fields)
        document: dict[str, Any] = {"type": "object", "value": fields}
        if draw(st.integers(0, 4)) == 0:  # a table defined as a union of objects
            document = {
                "type": "union",
                "value": [document, {"type": "object", "value": draw(document_fields)}],
            }
        tables.append(
            {
                "tableName": name,
                "documentType": document,
                "indexes": [],
                "searchIndexes": [],
                "vectorIndexes": [],
            }
        )
    return {"tables": tables, "schemaValidation": draw(st.booleans())}


def values_for(validator: v.Validator) -> st.SearchStrategy[Any]:
    """Values of the validator as the official client returns them."""
    match validator:
        case v.String() | v.Id():
            return st.text(max_size=3)
        case v.Float64():
            return st.floats(allow_nan=False)
        case v.Int64():
            return st.integers(-(2**63), 2**63 - 1)
        case v.Boolean():
            return st.booleans()
        case v.Null():
            return st.none()
        case v.Bytes():
            return st.binary(max_size=3)
        case v.AnyValue():
            return st.one_of(st.none(), st.floats(allow_nan=False), st.text(max_size=3))
        case v.Literal(value):
            return st.just(value)  # an int64 literal as the int the client gives
        case v.Array(item):
            return st.lists(values_for(item), max_size=2)
        case v.Record(_, values):
            return st.dictionaries(
                st.from_regex(r"[a-z]{1,3}", fullmatch=True), values_for(values), max_size=2
            )
        case v.Object(fields):
            required = {f.name: values_for(f.validator) for f in fields if not f.optional}
            optional = {f.name: values_for(f.validator) for f in fields if f.optional}
            return st.fixed_dictionaries(required, optional=optional)
        case v.Union(members):
            return st.one_of([values_for(m) for m in members])
    raise AssertionError(validator)


class Corrupt:
    """A value no validator but v.any() accepts."""

    def __repr__(self) -> str:
        return "Corrupt()"


def leaves(validator: v.Validator, value: Any, path: str, registry: Any) -> Iterator[tuple[list[Any], str]]:
    """Each leaf value under a validator other than v.any(): (its place, its path as errors
    write it). A place is the key path from the document to the leaf."""
    match validator:
        case v.AnyValue():
            return
        case v.Union(members):
            member = next(m for m in _member_order(members, value) if _fits(registry, m, value))
            yield from leaves(member, value, path, registry)
        case v.Array(item):
            for i, element in enumerate(value):
                for place, where in leaves(item, element, f"{path}[{i}]", registry):
                    yield [i, *place], where
        case v.Record(_, values):
            for key, item in value.items():
                for place, where in leaves(values, item, f"{path}[{key!r}]", registry):
                    yield [key, *place], where
        case v.Object(fields):
            for spec in fields:
                if spec.name in value:
                    for place, where in leaves(
                        spec.validator, value[spec.name], f"{path}.{spec.name}", registry
                    ):
                        yield [spec.name, *place], where
        case _:
            yield [], path


def accepts(validator: v.Validator, value: Any) -> bool:
    """Whether the backend would store `value` under `validator`: the test's own reading of
    the validators, apart from typed/."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    match validator:
        case v.AnyValue():
            return True
        case v.String() | v.Id():
            return isinstance(value, str)
        case v.Float64():
            return number
        case v.Int64():
            return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
        case v.Boolean():
            return isinstance(value, bool)
        case v.Null():
            return value is None
        case v.Bytes():
            return isinstance(value, bytes)
        case v.Literal(wanted):
            if isinstance(wanted, str | bool):
                return type(value) is type(wanted) and value == wanted
            return number and value == wanted
        case v.Array(item):
            return isinstance(value, list) and all(accepts(item, element) for element in value)
        case v.Record(keys, values):
            return isinstance(value, dict) and all(
                accepts(keys, k) and accepts(values, i) for k, i in value.items()
            )
        case v.Object(fields):
            declared = {f.name: f for f in fields}
            return (
                isinstance(value, dict)
                and all(f.optional or f.name in value for f in fields)
                and all(key in declared and accepts(declared[key].validator, i) for key, i in value.items())
            )
        case v.Union(members):
            return any(accepts(member, value) for member in members)
    raise AssertionError(validator)


def _member_order(members: tuple[v.Validator, ...], value: Any) -> list[v.Validator]:
    inexact = [
        m
        for m in members
        if isinstance(m, v.Float64) and isinstance(value, int) and not isinstance(value, bool)
    ]
    return [*(m for m in members if m not in inexact), *inexact]


def _fits(registry: Any, validator: v.Validator, value: Any) -> bool:
    try:
        registry.decode(validator, value, "x")
    except ValueError:
        return False
    return True


def _place(path: str) -> str:
    """A path with record keys written as fields: `t.a['b']` and `t.a.b` name one place."""
    return re.sub(r"\['([^']*)'\]", r".\1", path)


def _replaced(document: Any, place: list[Any]) -> Any:
    if not place:
        return Corrupt()
    copy = list(document) if isinstance(document, list) else dict(document)
    copy[place[0]] = _replaced(document[place[0]], place[1:])
    return copy


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(export=exports(), data=st.data())
def round_trip(folder: Path, export: dict[str, Any], data: st.DataObject) -> None:
    """One random schema: its module imports, and its documents round-trip and reject each
    single-leaf corruption with that leaf's path."""
    assume(not any(f.severity is Severity.ERROR for f in check_push_rules(export, size=0)))
    number = next(COUNTER)
    source = format_sources(
        {"m.py": documents_source(export, "convex/schema.ts", Generator([]))}, timeout=60
    )["m.py"]
    (path,) = write_modules(folder, {f"prop{number}": source})
    module = import_file(path)
    registry = module._REGISTRY
    for table in export["tables"]:
        name = table["tableName"]
        document = data.draw(values_for(parse(table["documentType"])), label=f"{name} document")
        stored = {"_id": "k", "_creationTime": 1.5, **document}
        parsed = module.parse_document(name, stored)
        assert plain(registry.encode(None, parsed)) == plain(document)

        document_type = parse(table["documentType"])
        if not export["schemaValidation"] and isinstance(document_type, v.Union):
            continue  # another variant holds any field it does not declare: nothing is wrong
        validator = _matching_variant(document_type, document, registry, name)
        for place, where in leaves(validator, document, name, registry):
            corrupted = _replaced(document, place)
            if accepts(document_type, corrupted):
                continue  # another union member takes the value (a v.any() one): nothing is wrong
            with pytest.raises(ValueError) as error:
                module.parse_document(name, {"_id": "k", **corrupted})
            # The same place may be an object's field or a record's key (`.type` or `['type']`)
            # where a union holds both and the value fits each.
            said = str(error.value).split(": ", 1)[0]
            assert _place(said) == _place(where), (where, str(error.value))


def _matching_variant(document_type: v.Validator, document: Any, registry: Any, table: str) -> v.Validator:
    """The table's object validator the document fits (the first variant, as parsing tries)."""
    if not isinstance(document_type, v.Union):
        return document_type
    for member in document_type.members:
        if _fits(registry, member, document):
            return member
    raise AssertionError(table)


def test_random_schemas_give_modules_that_round_trip_lint_and_type_check(tmp_path: Path) -> None:
    round_trip(tmp_path)
    paths = sorted((tmp_path / "cli/services/convex/models").glob("prop*.py"))
    assert len(paths) >= min(EXAMPLES, 10)  # hypothesis rejects few schemas
    assert ruff_problems(tmp_path, paths) == ""
    assert mypy_errors(paths) == {path.stem: [] for path in paths}
