"""Push rules about the schema as a whole: can the backend read it, store it and hold it.

Mirrors get-convex/convex-backend at commit 94a42c3db (2026-08-22): the schema's JSON is
read by serde_json (`JsonForm::json_deserialize` in crates/json_trait/src/lib.rs, called by
`run_evaluate_schema` in crates/isolate/src/environment/schema.rs) into the
`DatabaseSchemaJson` types of crates/common/src/schemas/json.rs; `SchemaModel::submit_pending`
(crates/database/src/bootstrap_model/schema/mod.rs) then stores it as one string and creates
its tables.
"""

from __future__ import annotations

from cli.shared.report import Finding
from cli.shared.text import shorten
from cli.shared.types import JsonObject

# Limits on the schema as a whole.
MAX_JSON_DEPTH = 127  # serde_json's recursion limit of 128: json_trait's json_deserialize
MAX_USER_TABLES = 10_000  # database/src/bootstrap_model/table.rs MAX_USER_TABLES
MAX_STORED_SCHEMA = (1 << 25) - 2  # value/src/size.rs MAX_SIZE: SchemaMetadata keeps one string


def too_deep(depth: int) -> Finding:
    """The export nests past what the backend's JSON reader takes (it fails to parse it)."""
    return Finding(
        "push/too-deep",
        f"the schema's JSON nests {depth} levels deep; the backend reads at most {MAX_JSON_DEPTH} "
        "(each v.object adds 3 levels, v.array 1, v.union and v.record 2)",
    )


def whole_schema_findings(export: JsonObject, size: int) -> list[Finding]:
    """What stops the backend from reading, storing or holding the schema; `push/malformed`
    first when it cannot read it at all."""
    malformed = _shape_findings(export)
    if malformed:
        return malformed
    findings = _text_findings(export)
    tables = len(export["tables"])
    if tables > MAX_USER_TABLES:
        findings.append(
            Finding(
                "push/too-many-tables",
                f"the schema has {tables} tables; a deployment holds at most {MAX_USER_TABLES}",
            )
        )
    if size > MAX_STORED_SCHEMA:
        findings.append(
            Finding(
                "push/schema-too-large",
                f"the schema's JSON is {size / 2**20:.1f} MiB; the backend stores a schema of at most 32 MiB",
            )
        )
    return findings


def _text_findings(export: JsonObject) -> list[Finding]:
    """Strings the backend's JSON reader refuses: a lone UTF-16 surrogate (JSON.stringify
    writes it as a \\ud800 escape; serde_json will not read that into a string)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            if any("\ud800" <= c <= "\udfff" for c in value):
                found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(export)
    return [
        Finding(
            "push/lone-surrogate",
            f"the text {shorten(repr(text), 60)} holds half of a UTF-16 surrogate pair, "
            "which the backend cannot read",
        )
        for text in found[:1]
    ]


# The JSON shape serde demands of each index kind (json.rs `*SchemaJson`): required keys
# and their JSON types. The JS builders always produce it; a hand-made export() may not.
INDEX_SHAPES: dict[str, dict[str, type]] = {
    "indexes": {"indexDescriptor": str, "fields": list},
    "stagedDbIndexes": {"indexDescriptor": str, "fields": list},
    "searchIndexes": {"indexDescriptor": str, "searchField": str, "filterFields": list},
    "stagedSearchIndexes": {"indexDescriptor": str, "searchField": str, "filterFields": list},
    "vectorIndexes": {"indexDescriptor": str, "vectorField": str, "filterFields": list},
    "stagedVectorIndexes": {"indexDescriptor": str, "vectorField": str, "filterFields": list},
}


def _shape_findings(export: JsonObject) -> list[Finding]:
    """What `DatabaseSchemaJson` deserialization refuses: the backend reports InvalidSchema."""

    def malformed(message: str, table: str | None = None) -> list[Finding]:
        return [Finding("push/malformed", f"the schema's export() {message}", table=table)]

    tables = export.get("tables")
    if not isinstance(tables, list):
        return malformed("has no list of tables")
    if export.get("schemaValidation") not in (None, True, False):
        return malformed("has a schemaValidation that is not true or false")
    for table in tables:
        if not isinstance(table, dict) or not isinstance(table.get("tableName"), str):
            return malformed("has a table without a name")
        name = table["tableName"]
        if not isinstance(table.get("indexes"), list):
            return malformed(f"has no list of indexes for table {name}", name)
        for key, shape in INDEX_SHAPES.items():
            indexes = table.get(key)
            if indexes is not None and not isinstance(indexes, list):
                return malformed(f"has {key} of table {name} that is not a list", name)
            for index in indexes or []:
                if not isinstance(index, dict) or any(
                    not isinstance(index.get(k), t) for k, t in shape.items()
                ):
                    return malformed(
                        f"has an entry of {key} of table {name} without {', '.join(shape)}", name
                    )
                lists = [index.get("fields"), index.get("filterFields")]
                if any(not all(isinstance(f, str) for f in items or []) for items in lists):
                    return malformed(f"has a field path in {key} of table {name} that is not a string", name)
    return []
