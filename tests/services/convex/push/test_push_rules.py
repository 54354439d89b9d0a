"""Each push-time rule, on a real schema.ts evaluated by the real convex package in Node.

The JS builders accept every one of these schemas; the backend would reject (or, for
`_`-prefixed top-level fields, silently drop) them at push. The check must name each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.shared.report import CheckResult, Severity, Status
from tests.support.project import SCHEMA_HEADER, run_app, write_schema
from tests.support.schema_batch import check_schemas


def table(fields: str, chain: str = "", name: str = "things") -> str:
    return f"{SCHEMA_HEADER}export default defineSchema({{ {name}: defineTable({{ {fields} }}){chain} }});\n"


MANY_FIELDS = ", ".join(f"f{i}: v.string()" for i in range(70))

CASES: dict[str, tuple[str, str, str]] = {
    # id: (schema.ts, expected code, text the message must contain)
    "table name with a dash": (table("a: v.string()", name='"bad-name"'), "push/table-name", "bad-name"),
    "table name too long": (table("a: v.string()", name="t" * 65), "push/table-name", "64 bytes"),
    "table name all underscores": (table("a: v.string()", name="___"), "push/table-name", "underscores"),
    "reserved table name": (table("a: v.string()", name="_secrets"), "push/reserved-table", "_secrets"),
    "field name with a dash": (table('"bad-field": v.string()'), "push/field-name", "things.bad-field"),
    "field name starting with $": (table('"$price": v.string()'), "push/field-name", "$"),
    "nested field name": (table('meta: v.object({ "a b": v.string() })'), "push/field-name", "meta.a b"),
    "document type not an object": (
        f"{SCHEMA_HEADER}export default defineSchema({{ things: defineTable(v.string()) }});\n",
        "push/document-type",
        "things",
    ),
    "record with number keys": (table("m: v.record(v.number(), v.string())"), "push/record-keys", "keys"),
    "index name with a dash": (table("a: v.string()", '.index("by-a", ["a"])'), "push/index-name", "by-a"),
    "index named by_id": (table("a: v.string()", '.index("by_id", ["a"])'), "push/reserved-index", "by_id"),
    "index named by_creation_time": (
        table("a: v.string()", '.index("by_creation_time", ["a"])'),
        "push/reserved-index",
        "by_creation_time",
    ),
    "index name starting with _": (
        table("a: v.string()", '.index("_by_a", ["a"])'),
        "push/reserved-index",
        "_by_a",
    ),
    "index name used twice across kinds": (
        table("a: v.string()", '.index("by_a", ["a"]).searchIndex("by_a", { searchField: "a" })'),
        "push/duplicate-index",
        "by_a",
    ),
    "more than 64 indexes": (
        f"{SCHEMA_HEADER}let t = defineTable({{ {MANY_FIELDS} }});\n"
        "for (let i = 0; i < 65; i++) t = t.index(`by_f${i}`, [`f${i}`] as any);\n"
        "export default defineSchema({ things: t });\n",
        "push/too-many-indexes",
        "65 indexes",
    ),
    "index without fields": (
        table("a: v.string()", '.index("by_nothing", [] as any)'),
        "push/index-no-fields",
        "no fields",
    ),
    "index with 16 fields": (
        table(MANY_FIELDS, '.index("by_many", [' + ", ".join(f'"f{i}"' for i in range(16)) + "])"),
        "push/index-too-many-fields",
        "16 fields",
    ),
    "index on _creationTime": (
        table("a: v.string()", '.index("by_time", ["_creationTime"] as any)'),
        "push/index-system-field",
        "_creationTime",
    ),
    "index on _id": (
        table("a: v.string()", '.index("by_doc", ["_id"] as any)'),
        "push/index-system-field",
        "_id",
    ),
    "index path part starting with _": (
        table("meta: v.object({ _x: v.string() })", '.index("by_x", ["meta._x"] as any)'),
        "push/index-reserved-field",
        "meta._x",
    ),
    "index repeating a field": (
        table("a: v.string()", '.index("by_aa", ["a", "a"])'),
        "push/index-repeated-field",
        "a",
    ),
    "two indexes on the same fields": (
        table("a: v.string()", '.index("by_a", ["a"]).index("by_a_again", ["a"])'),
        "push/same-index-fields",
        "by_a",
    ),
    "index on a field the table lacks": (
        table("a: v.string()", '.index("by_b", ["b"] as any)'),
        "push/index-field-missing",
        "b",
    ),
    "search index with 17 filter fields": (
        table(
            MANY_FIELDS,
            '.searchIndex("search_f0", { searchField: "f0", filterFields: ['
            + ", ".join(f'"f{i}"' for i in range(1, 18))
            + "] })",
        ),
        "push/too-many-filter-fields",
        "17 filter fields",
    ),
    "two search indexes alike": (
        table(
            "a: v.string()",
            '.searchIndex("s1", { searchField: "a" }).searchIndex("s2", { searchField: "a" })',
        ),
        "push/same-search-index",
        "s2",
    ),
    "vector index of 1 dimension": (
        table("e: v.array(v.float64())", '.vectorIndex("by_e", { vectorField: "e", dimensions: 1 })'),
        "push/vector-dimensions",
        "1 dimensions",
    ),
    "vector index of 5000 dimensions": (
        table("e: v.array(v.float64())", '.vectorIndex("by_e", { vectorField: "e", dimensions: 5000 })'),
        "push/vector-dimensions",
        "5000",
    ),
    "vector index on a string": (
        table("e: v.string()", '.vectorIndex("by_e", { vectorField: "e", dimensions: 8 })'),
        "push/vector-field-type",
        "by_e",
    ),
    "two vector indexes alike": (
        table(
            "e: v.array(v.float64())",
            '.vectorIndex("v1", { vectorField: "e", dimensions: 8 })'
            '.vectorIndex("v2", { vectorField: "e", dimensions: 8 })',
        ),
        "push/same-vector-index",
        "v2",
    ),
}


VALID = table(
    "body: v.string(), channel: v.string(), e: v.optional(v.array(v.float64())), "
    "meta: v.object({ x: v.string() })",
    '.index("by_meta_x", ["meta.x"])'
    '.searchIndex("search_body", { searchField: "body", filterFields: ["channel"] })'
    '.vectorIndex("by_e", { vectorField: "e", dimensions: 1536, filterFields: ["channel"] })',
)


# The tests that read the batch run on one worker, so that it is evaluated once (make test
# schedules with --dist loadgroup).
BATCH = pytest.mark.xdist_group("push rules batch")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, CheckResult]]:
    """Every schema of this module, evaluated by Node in one process and checked in-process."""
    schemas = {case: texts[0] for case, texts in {**CASES, **WARNINGS}.items()}
    return check_schemas(tmp_path_factory.mktemp("push-rules"), {**schemas, "valid": VALID})


def push_rules_of(checked: dict[str, dict[str, CheckResult]], case: str) -> CheckResult:
    """The push rules' result for a case, whose schema the JS builders must have accepted."""
    assert checked[case]["schema"].status is Status.PASSED, checked[case]["schema"]
    return checked[case]["push rules"]


@BATCH
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_push_rule_is_reported(checked: dict[str, dict[str, CheckResult]], case: str) -> None:
    _, code, text = CASES[case]

    rules = push_rules_of(checked, case)

    assert rules.status is Status.FAILED
    matching = [f for f in rules.findings if f.code == code]
    assert matching, rules.findings
    assert any(text in f.message for f in matching), matching


def test_push_rule_failure_in_json_output(project: Path) -> None:
    write_schema(project, CASES["index on _id"][0])

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    rules = {c["name"]: c for c in result.json()["checks"]}["push rules"]
    assert rules["status"] == "failed"
    schema_text = (project / "convex" / "schema.ts").read_text()
    index_at = schema_text.index('.index("by_doc"')
    line = schema_text.count("\n", 0, index_at) + 1
    column = index_at - schema_text.rfind("\n", 0, index_at) + 1  # V8 names the call at `index`
    assert rules["findings"][0] == {
        "code": "push/index-system-field",
        "message": rules["findings"][0]["message"],
        "file": "convex/schema.ts",  # where the index is defined, as the evaluator saw it called
        "line": line,
        "column": column,
        "table": "things",
        "index": "by_doc",
        "field": "_id",
        "severity": "error",
    }
    assert "Traceback" not in result.output


WARNINGS: dict[str, tuple[str, str, str]] = {
    # id: (schema.ts, expected code, text the message must contain)
    "top-level _ field": (table("_hidden: v.string(), a: v.string()"), "push/system-field", "things._hidden"),
    "index path with a trailing dot": (
        table("a: v.string()", '.index("by_a", ["a."] as any)'),
        "push/index-field-normalized",
        "'a.' as 'a'",
    ),
    "filter field twice": (
        table(
            "a: v.string(), b: v.string()",
            '.searchIndex("s", { searchField: "a", filterFields: ["b", "b"] })',
        ),
        "push/filter-field-repeated",
        "filter field b more than once",
    ),
}


@BATCH
@pytest.mark.parametrize("case", list(WARNINGS), ids=list(WARNINGS))
def test_what_the_backend_changes_is_a_warning(checked: dict[str, dict[str, CheckResult]], case: str) -> None:
    _, code, text = WARNINGS[case]

    rules = push_rules_of(checked, case)

    assert rules.status is Status.WARNING, rules
    assert [(f.code, f.severity) for f in rules.findings] == [(code, Severity.WARNING)]
    assert text in rules.findings[0].message, rules.findings
    assert "backend" in (rules.hint or "") or "backend" in rules.message


def test_push_rule_findings_in_human_output_name_code_and_table(project: Path) -> None:
    write_schema(project, table("a: v.string()", '.index("by_id", ["a"])'))

    result = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    assert "push/reserved-index" in result.stdout
    assert "things.by_id" in result.stdout
    assert "checks passed" in result.stdout


@BATCH
def test_valid_search_and_vector_indexes_pass(checked: dict[str, dict[str, CheckResult]]) -> None:
    rules = push_rules_of(checked, "valid")

    assert rules.status is Status.PASSED, rules.findings
