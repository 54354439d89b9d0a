"""Rules the Convex backend enforces only when a schema is pushed.

The JS builders accept all of these silently, so `npx convex dev` finds them late; we
check the evaluated schema (`defineSchema(...).export()`) offline instead. Each rule
mirrors get-convex/convex-backend at commit 94a42c3db (2026-08-22):
- `TryFrom<TableDefinitionJson> for TableDefinition` and the index `TryFrom`s in
  crates/common/src/schemas/json.rs (names, counts, field paths, uniqueness);
- `IndexedFields::try_from` in crates/common/src/bootstrap_model/index/database_index/
  indexed_fields.rs and `TextIndexSchema::new` / `VectorIndexSchema::new` in
  crates/common/src/schemas/mod.rs (field and filter limits);
- `_validate_user_defined_index_fields` and `_evaluate_schema` in
  crates/application/src/lib.rs (system fields in database indexes, then
  `DatabaseSchema::check_index_references` in schemas/mod.rs when schemaValidation is on);
- `indexes_in_new_schema` in crates/database/src/bootstrap_model/index.rs (reserved names,
  `_fivetran*` included, rejected when the indexes are created).
Where the backend silently changes the schema (drops a top-level `_` field, trims dots off a
path, merges repeated filter fields) the finding is a warning that says so.
"""

from __future__ import annotations

from cli.services.convex.push.documents import document_schema, validator_findings
from cli.services.convex.push.findings import TableFindings
from cli.services.convex.push.identifiers import identifier_problem
from cli.services.convex.push.indexes import check_indexes, index_references
from cli.services.convex.push.whole import whole_schema_findings
from cli.services.convex.schema.validator_json import parse
from cli.shared.report import Finding
from cli.shared.types import JsonObject


def check_push_rules(export: JsonObject, *, size: int = 0) -> list[Finding]:
    """Everything the backend would reject or silently change in this export (`size`: the
    export's JSON text in bytes, when known)."""
    findings = whole_schema_findings(export, size)
    if any(f.code == "push/malformed" for f in findings):
        return findings  # the backend cannot read it at all
    validation = export.get("schemaValidation") is True  # absent means off (DatabaseSchemaJson)
    for table in export["tables"]:
        findings += _check_table(table, validation)
    return findings


def _check_table(table: JsonObject, validation: bool) -> list[Finding]:
    name = str(table.get("tableName", ""))
    t = TableFindings(name)
    raw_type = table.get("documentType")
    doc_type = parse(raw_type) if raw_type is not None else None
    schema, shape_findings = document_schema(name, doc_type)
    parsed = list(validator_findings(name, doc_type, "")) if doc_type is not None else []
    # A non-finite literal fails only when the schema is stored (SchemaMetadata::new), by
    # which time top-level `_` fields are dropped: only kept fields count.
    dropped = {f.field for f in shape_findings if f.code == "push/system-field"}
    t.findings += [
        f
        for f in parsed
        if not (f.code == "push/literal-not-finite" and (f.field or "").split(".")[0] in dropped)
    ]
    t.findings += shape_findings
    _table_name(t)
    check_indexes(t, table)
    if validation and schema is not None:
        index_references(t, schema)
    return t.findings


def _table_name(t: TableFindings) -> None:
    problem = identifier_problem(t.name)
    if problem:
        t.add("push/table-name", f"table name {t.name!r} is invalid: {problem}")
    elif t.name.startswith("_"):
        t.add(
            "push/reserved-table",
            f"table name {t.name!r} starts with _, which is reserved for system tables",
        )
