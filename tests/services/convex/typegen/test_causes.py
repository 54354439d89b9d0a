"""One minimal schema per way codegen once failed on real schemas: each generated module
imports, passes ruff and mypy --strict, says what it should, and round-trips its documents
through parse_document (parsed, then encoded back as the client would send them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cli.services.convex.typed import UNSET, Document
from cli.services.convex.typegen.files import documents_text
from tests.support.generated import import_file, mypy_errors, plain, ruff_problems, write_modules
from tests.support.project import SCHEMA_HEADER
from tests.support.schema_batch import evaluate_schemas

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Case:
    tables: str  # the body of defineSchema({...})
    documents: list[tuple[str, dict[str, Any]]]  # (table, a document as the client returns it)
    lines: tuple[str, ...] = ()  # lines the module must hold
    options: str = ""  # defineSchema's second argument
    absent: tuple[str, ...] = field(default=())  # text the module must not hold


LONG = "aVeryLongFieldNameThatMakesTheNestedClassNamesLongerThanALineCanHoldWithoutWrapping"
CASES = {
    # An annotation too long for a line once went to an alias placed before the classes it
    # names: NameError on import.
    "long union of objects": Case(
        "events: defineTable({ payload: v.optional(v.union("
        'v.object({ kind: v.literal("a") }), v.object({ kind: v.literal("b") }), '
        'v.object({ kind: v.literal("c") }))) }),'
        f"{LONG}: defineTable({{ {LONG}: v.object({{ {LONG}: v.object({{ x: v.string() }}) }}) }}),",
        [("events", {"payload": {"kind": "b"}}), ("events", {})],
        ("class EventsDocPayload3(Document):",),
    ),
    # Soft keywords were mangled by the running Python's list: `type` only on 3.12+.
    "soft keywords": Case(
        "things: defineTable({ type: v.string(), match: v.number(), case: v.boolean() }),",
        [("things", {"type": "t", "match": 1.0, "case": True})],
        ("    type_: str", "    match_: float", "    case_: bool"),
    ),
    # A field named like a builtin shadowed the type of the fields after it.
    "builtin names": Case(
        "things: defineTable({ str: v.number(), float: v.string(), name: v.string(), "
        "size: v.number(), list: v.array(v.string()), tags: v.array(v.string()), "
        "field: v.optional(v.string()), Literal: v.literal(1), kind: v.literal(2) }),",
        [
            (
                "things",
                {
                    "str": 1.0,
                    "float": "f",
                    "name": "n",
                    "size": 2.0,
                    "list": [],
                    "tags": ["t"],
                    "Literal": 1.0,
                    "kind": 2.0,
                },
            )
        ],
        ("    str_: float", "    float_: str", "    list_: list[str]", "    field_: str | Unset = UNSET"),
    ),
    # `class` and `class_` both became `class_`: parse_document kept one of them.
    "colliding names": Case(
        "things: defineTable({ class: v.string(), class_: v.number(), UNSET: v.boolean() }),",
        [("things", {"class": "c", "class_": 1.0, "UNSET": False})],
        ("    class__: str", "    class_: float", "    UNSET_: bool"),
    ),
    # v.union() gave `Never` without importing it.
    "empty union": Case(
        "things: defineTable({ nothing: v.optional(v.union()), never: v.array(v.union()) }),",
        [("things", {"never": []})],
        ("    never: list[Never]", "    nothing: Unset = UNSET"),
    ),
    # None inside a nested union was not last (ruff's RUF036).
    # A value of the object member's shape with one wrong field was named by the record
    # member's deeper shape error ("items[0]['tags'].a: not a field here"): make property.
    "record of objects beside an object": Case(
        "things: defineTable({ items: v.array(v.union(v.record(v.string(), v.object({})), "
        'v.object({ label: v.optional(v.string()), tags: v.record(v.string(), v.literal("")) }))) }),',
        [("things", {"items": [{"tags": {"a": ""}, "label": "x"}, {"k": {}}]})],
        ("    items: list[dict[str, ThingsDocItemsItem1Value] | ThingsDocItemsItem2]",),
    ),
    "null in nested unions": Case(
        "things: defineTable({ a: v.union(v.null(), v.union(v.string(), v.null())), "
        "b: v.array(v.union(v.null(), v.number())), c: v.optional(v.union(v.null(), v.string())) }),",
        [("things", {"a": None, "b": [None, 1.5]}), ("things", {"a": "s", "b": [], "c": None})],
        ("    a: str | None", "    b: list[float | None]", "    c: str | Unset | None = UNSET"),
    ),
    # A literal with a quote or U+2028 gave text ruff reformats or flags.
    "quotes in literals": Case(
        'things: defineTable({ q: v.union(v.literal(\'say "hi"\'), v.literal("it\'s"), '
        'v.literal("line\\u2028sep"), v.literal("back\\\\slash")) }),',
        [("things", {"q": 'say "hi"'}), ("things", {"q": "line\u2028sep"}), ("things", {"q": "back\\slash"})],
        ("""    q: Literal['say "hi"', "it's", "line\\u2028sep", "back\\\\slash"]""",),
    ),
    # v.literal(2) was annotated Literal[2] but parsed as 2.0; an int in number|int64 as a float.
    "numbers": Case(
        "things: defineTable({ two: v.literal(2), half: v.literal(0.5), n: v.union(v.number(), v.int64()), "
        "big: v.int64() }),",
        [
            ("things", {"two": 2.0, "half": 0.5, "n": 7, "big": 2**62}),
            ("things", {"two": 2.0, "half": 0.5, "n": 7.5, "big": -1}),
        ],
        ("    two: Literal[2]", "    half: float", "    n: float | int"),
    ),
    # schemaValidation: false tables rejected the fields the backend stores.
    "no schema validation": Case(
        "things: defineTable({ name: v.string() }),",
        [("things", {"name": "n", "stray": [1.0], "more": {"x": None}})],
        ("    extra: dict[str, Any] = field(default_factory=dict)",),
        options=", { schemaValidation: false }",
    ),
    # v.any() tables keep every field as it is.
    "any table": Case(
        "blobs: defineTable(v.any()), things: defineTable({ data: v.any(), maybe: v.optional(v.any()) }),",
        [("blobs", {"anything": {"goes": [1.0, "two"]}}), ("things", {"data": {"nested": {"deep": True}}})],
        ("    fields: dict[str, Any] = field(default_factory=dict)", "    maybe: Any = UNSET"),
    ),
    # Values inside an array or record inside a union were sent as they were: classes
    # unencoded, int64s as floats; a field called `extra` was read as the unknown fields.
    "encoded through unions": Case(
        "teams: defineTable({ social: v.optional(v.union(v.array(v.object({ platform: v.string() })), "
        "v.null())), counts: v.union(v.array(v.int64()), v.null()), extra: v.object({ a: v.string() }) }),",
        [
            ("teams", {"social": [{"platform": "x"}], "counts": [5], "extra": {"a": "b"}}),
            ("teams", {"social": None, "counts": None, "extra": {"a": ""}}),
        ],
        ("    extra: TeamsDocExtra",),
    ),
    # An optional field and a nullable one were both `X | None`.
    "absent and null": Case(
        "things: defineTable({ o: v.optional(v.string()), n: v.union(v.string(), v.null()) }),",
        [("things", {"n": None}), ("things", {"o": "x", "n": "y"})],
        ("    o: str | Unset = UNSET", "    n: str | None"),
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, ModuleType]]:
    """Every case's module: its source and the module imported."""
    folder = tmp_path_factory.mktemp("causes")
    schemas = {
        name: f"{SCHEMA_HEADER}export default defineSchema({{\n{case.tables}\n}}{case.options});\n"
        for name, case in CASES.items()
    }
    _, evaluations = evaluate_schemas(folder / "evaluated", schemas)
    sources = {}
    for number, (name, evaluation) in enumerate(evaluations.items()):
        assert evaluation.export is not None, (name, evaluation.message)
        sources[f"cause{number}"] = documents_text(evaluation.export, "convex/schema.ts", timeout=60)
    paths = write_modules(folder / "lint", sources)
    modules = {name: import_file(path) for name, path in zip(CASES, paths, strict=True)}
    return folder / "lint", dict(zip(CASES, sources.values(), strict=True)), modules


def test_every_module_passes_ruff_and_mypy_strict(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]],
) -> None:
    folder, _, _ = generated
    paths = sorted((folder / "cli/services/convex/models").glob("cause*.py"))
    assert len(paths) == len(CASES)
    assert ruff_problems(folder, paths) == ""
    assert mypy_errors(paths) == {path.stem: [] for path in paths}


@pytest.mark.parametrize("name", CASES)
def test_each_module_says_what_it_should(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]], name: str
) -> None:
    _, sources, _ = generated
    lines = sources[name].splitlines()
    assert CASES[name].lines  # each case says something of its module
    for line in CASES[name].lines:
        assert line in lines, sources[name]


@pytest.mark.parametrize("name", CASES)
def test_documents_round_trip(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]], name: str
) -> None:
    _, _, modules = generated
    module = modules[name]
    for table, document in CASES[name].documents:
        stored = {"_id": "k1", "_creationTime": 1.0, **document}
        parsed = module.parse_document(table, stored)
        assert isinstance(parsed, module.TABLES[table])
        assert plain(module._REGISTRY.encode(None, parsed)) == plain(document)


def test_values_have_the_annotated_types(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]],
) -> None:
    _, _, modules = generated
    numbers = modules["numbers"].parse_document("things", {"two": 2.0, "half": 0.5, "n": 7, "big": 5})
    assert type(numbers.two) is int and numbers.two == 2  # Literal[2], not 2.0
    assert type(numbers.n) is int and type(numbers.big) is int  # an int fits int64 before float64
    from convex import ConvexInt64

    given = modules["numbers"].parse_document(
        "things", {"two": 2.0, "half": 0.5, "n": 1.5, "big": ConvexInt64(9)}
    )
    assert type(given.n) is float and given.big == 9 and type(given.big) is int

    absent = modules["absent and null"].parse_document("things", {"n": None})
    present = modules["absent and null"].parse_document("things", {"o": "x", "n": None})
    assert absent.o is UNSET and not absent.o and absent.n is None and present.o == "x"

    loose = modules["no schema validation"].parse_document("things", {"name": "n", "stray": 1.0})
    assert loose.extra == {"stray": 1.0} and loose.name == "n"
    assert isinstance(loose, Document)


def test_int64s_inside_unions_are_sent_as_convex_int64(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]],
) -> None:
    from convex import ConvexInt64

    module = generated[2]["encoded through unions"]
    parsed = module.parse_document("teams", {"counts": [5], "extra": {"a": "b"}})
    encoded = module._REGISTRY.encode(None, parsed)
    assert isinstance(encoded["counts"][0], ConvexInt64) and encoded["counts"][0].value == 5


def test_a_wrong_value_inside_a_union_names_its_own_path(
    generated: tuple[Path, dict[str, str], dict[str, ModuleType]],
) -> None:
    _, _, modules = generated
    events = modules["long union of objects"]
    with pytest.raises(ValueError, match=r"^events\.payload\.kind: expected ") as error:
        events.parse_document("events", {"payload": {"kind": "z"}})
    assert len(str(error.value)) < 200
    with pytest.raises(
        ValueError, match=r"^things\.b\[1\]: expected v\.union\(v\.null\(\), v\.number\(\)\), got 'x'$"
    ):
        modules["null in nested unions"].parse_document("things", {"a": None, "b": [1.0, "x"]})
    with pytest.raises(ValueError, match=r"^things\.items\[0\]\.label: expected v\.string\(\), got 5$"):
        modules["record of objects beside an object"].parse_document(
            "things", {"items": [{"tags": {"a": ""}, "label": 5}]}
        )
