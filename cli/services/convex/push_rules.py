"""Rules the Convex backend enforces only when a schema is pushed.

The JS builders accept all of these silently, so `npx convex dev` finds them late; we
check the evaluated schema (`defineSchema(...).export()`) offline instead. Limits and
conditions follow the backend's schema parser (crates/common/src/schemas in
get-convex/convex-backend) and `evaluate_schema` in its application crate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cli.services.convex.report import Finding

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_IDENTIFIER_BYTES = 64
MAX_INDEXES_PER_TABLE = 64
MAX_INDEX_FIELDS = 15  # the backend appends _creationTime as the 16th
MAX_FILTER_FIELDS = 16
VECTOR_DIMENSIONS = (2, 4096)
RESERVED_INDEX_NAMES = ("by_id", "by_creation_time")

Json = dict[str, Any]


def identifier_problem(name: str) -> str | None:
    """Why `name` is not a valid Convex identifier, or None."""
    if not name:
        return "it is empty"
    if name.startswith("$"):
        return "names starting with $ are reserved"
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        return f"it is longer than {MAX_IDENTIFIER_BYTES} bytes"
    if not IDENTIFIER.fullmatch(name):
        return "it must start with a letter or _ and contain only letters, digits and _"
    if set(name) == {"_"}:
        return "it must not consist only of underscores"
    return None


def check_push_rules(export: Json) -> list[Finding]:
    validation = bool(export.get("schemaValidation", False))
    findings: list[Finding] = []
    for table in export.get("tables", []):
        findings.extend(_table_name(table))
        findings.extend(_document_type(table))
        findings.extend(_index_names(table))
        findings.extend(_database_indexes(table))
        findings.extend(_search_and_vector_indexes(table))
        if validation:
            findings.extend(_index_references(table))
    return findings


def _db(table: Json) -> list[Json]:
    return [*(table.get("indexes") or []), *(table.get("stagedDbIndexes") or [])]


def _search(table: Json) -> list[Json]:
    return [*(table.get("searchIndexes") or []), *(table.get("stagedSearchIndexes") or [])]


def _vector(table: Json) -> list[Json]:
    return [*(table.get("vectorIndexes") or []), *(table.get("stagedVectorIndexes") or [])]


def _table_name(table: Json) -> Iterator[Finding]:
    name = str(table.get("tableName", ""))
    problem = identifier_problem(name)
    if problem:
        yield Finding("push/table-name", f"table name {name!r} is invalid: {problem}", table=name)
    elif name.startswith("_"):
        yield Finding(
            "push/reserved-table",
            f"table name {name!r} starts with _, which is reserved for system tables",
            table=name,
        )


def _document_type(table: Json) -> Iterator[Finding]:
    name = str(table.get("tableName", ""))
    doc = table.get("documentType") or {"type": "any"}
    kind = doc.get("type")
    objects_only = kind == "union" and all(m.get("type") == "object" for m in doc.get("value", []))
    if kind not in ("object", "any") and not objects_only:
        yield Finding(
            "push/document-type",
            f"table {name}: the document validator must be an object, a union of objects "
            f"or v.any(), not {kind}",
            table=name,
        )
    yield from _validator_rules(name, doc, "", top=True)


def _validator_rules(table: str, validator: Json, prefix: str, *, top: bool = False) -> Iterator[Finding]:
    """Object keys must be identifiers; record keys must be strings (the JS builder checks values)."""
    kind = validator.get("type")
    if kind == "object":
        for key, spec in validator.get("value", {}).items():
            path = f"{prefix}{key}"
            problem = identifier_problem(key)
            if problem:
                yield Finding(
                    "push/field-name", f"field {table}.{path} is invalid: {problem}", table=table, field=path
                )
            elif top and key.startswith("_"):
                yield Finding(
                    "push/system-field",
                    f"field {table}.{path}: top-level fields starting with _ are reserved for "
                    "system fields; the backend drops it from the schema and rejects documents "
                    "that have it",
                    table=table,
                    field=path,
                )
            yield from _validator_rules(table, spec.get("fieldType", {}), f"{path}.")
    elif kind == "union":
        for member in validator.get("value", []):
            yield from _validator_rules(table, member, prefix, top=top)
    elif kind == "array":
        yield from _validator_rules(table, validator.get("value", {}), prefix)
    elif kind == "record":
        where = f"{table}.{prefix.rstrip('.')}" if prefix else table
        keys = validator.get("keys", {})
        key_kinds = (
            [m.get("type") for m in keys.get("value", [])]
            if keys.get("type") == "union"
            else [keys.get("type")]
        )
        if not all(k in ("string", "id") for k in key_kinds):
            yield Finding(
                "push/record-keys",
                f"record in {where}: keys must be v.string() or v.id(...), "
                f"not {', '.join(str(k) for k in key_kinds)}",
                table=table,
            )
        values = validator.get("values", {})
        yield from _validator_rules(table, values.get("fieldType", {}), prefix)


def _index_names(table: Json) -> Iterator[Finding]:
    name = str(table.get("tableName", ""))
    all_indexes = [*_db(table), *_search(table), *_vector(table)]
    seen: set[str] = set()
    for index in all_indexes:
        iname = str(index.get("indexDescriptor", ""))
        problem = identifier_problem(iname)
        if problem:
            yield Finding(
                "push/index-name",
                f"index {name}.{iname} has an invalid name: {problem}",
                table=name,
                index=iname,
            )
        elif iname in RESERVED_INDEX_NAMES or iname.startswith("_"):
            yield Finding(
                "push/reserved-index",
                f"index {name}.{iname}: the name is reserved (by_id, by_creation_time and "
                "names starting with _ belong to the system)",
                table=name,
                index=iname,
            )
        if iname in seen:
            yield Finding(
                "push/duplicate-index",
                f"index {name}.{iname} is defined more than once (names are unique across "
                "database, search and vector indexes)",
                table=name,
                index=iname,
            )
        seen.add(iname)
    if len(all_indexes) > MAX_INDEXES_PER_TABLE:
        yield Finding(
            "push/too-many-indexes",
            f"table {name} has {len(all_indexes)} indexes; at most {MAX_INDEXES_PER_TABLE} are allowed",
            table=name,
        )


def _database_indexes(table: Json) -> Iterator[Finding]:
    name = str(table.get("tableName", ""))
    by_fields: dict[tuple[str, ...], str] = {}
    for index in _db(table):
        iname = str(index.get("indexDescriptor", ""))
        fields = [str(f) for f in index.get("fields", [])]
        where = f"index {name}.{iname}"
        if not fields:
            yield Finding("push/index-no-fields", f"{where} has no fields", table=name, index=iname)
        if len(fields) > MAX_INDEX_FIELDS:
            yield Finding(
                "push/index-too-many-fields",
                f"{where} has {len(fields)} fields; at most {MAX_INDEX_FIELDS} are allowed "
                "(the backend adds _creationTime as the last one)",
                table=name,
                index=iname,
            )
        seen: set[str] = set()
        for path in fields:
            if path in ("_id", "_creationTime"):
                yield Finding(
                    "push/index-system-field",
                    f"{where} lists {path}; _id is never indexable and _creationTime is "
                    "added to every index automatically",
                    table=name,
                    index=iname,
                    field=path,
                )
            elif any(part.startswith("_") for part in path.split(".")):
                yield Finding(
                    "push/index-reserved-field",
                    f"{where} uses {path}; fields starting with _ are not allowed in indexes",
                    table=name,
                    index=iname,
                    field=path,
                )
            if path in seen:
                yield Finding(
                    "push/index-repeated-field",
                    f"{where} lists {path} more than once",
                    table=name,
                    index=iname,
                    field=path,
                )
            seen.add(path)
        key = tuple(fields)
        if fields and key in by_fields:
            yield Finding(
                "push/same-index-fields",
                f"{where} has the same fields as index {name}.{by_fields[key]}",
                table=name,
                index=iname,
            )
        by_fields.setdefault(key, iname)


def _search_and_vector_indexes(table: Json) -> Iterator[Finding]:
    name = str(table.get("tableName", ""))
    seen: dict[tuple[object, ...], str] = {}
    for kind, index in [*(("search", i) for i in _search(table)), *(("vector", i) for i in _vector(table))]:
        iname = str(index.get("indexDescriptor", ""))
        where = f"{kind} index {name}.{iname}"
        filters = set(index.get("filterFields", []))  # the backend keeps a set: repeats collapse
        if len(filters) > MAX_FILTER_FIELDS:
            yield Finding(
                "push/too-many-filter-fields",
                f"{where} has {len(filters)} filter fields; at most {MAX_FILTER_FIELDS} are allowed",
                table=name,
                index=iname,
            )
        if kind == "search":
            key: tuple[object, ...] = (kind, index.get("searchField"), tuple(sorted(filters)))
        else:
            dims = index.get("dimensions")
            low, high = VECTOR_DIMENSIONS
            if not isinstance(dims, int) or not low <= dims <= high:
                yield Finding(
                    "push/vector-dimensions",
                    f"{where} has {dims} dimensions; it must have {low} to {high}",
                    table=name,
                    index=iname,
                )
            key = (kind, index.get("vectorField"), dims)
        if key in seen:
            yield Finding(
                f"push/same-{kind}-index",
                f"{where} indexes the same field as {kind} index {name}.{seen[key]}",
                table=name,
                index=iname,
            )
        seen.setdefault(key, iname)


def _can_contain(validator: Json, parts: list[str]) -> bool:
    """The backend's `can_contain_field`: can a document of this type have the path?"""
    if not parts:
        return True
    kind = validator.get("type")
    if kind == "any":
        return True
    if kind == "union":
        return any(_can_contain(m, parts) for m in validator.get("value", []))
    if kind == "object":
        spec = validator.get("value", {}).get(parts[0])
        return spec is not None and _can_contain(spec.get("fieldType", {}), parts[1:])
    return False


def _is_vector(validator: Json) -> bool:
    kind = validator.get("type")
    if kind == "any":
        return True
    if kind == "array":
        return validator.get("value", {}).get("type") in ("number", "any")
    if kind == "union":
        return any(_is_vector(m) for m in validator.get("value", []))
    return False


def _leaf(validator: Json, parts: list[str]) -> list[Json]:
    """The validators a path can lead to (several through unions)."""
    if not parts:
        return [validator]
    kind = validator.get("type")
    if kind == "union":
        return [leaf for m in validator.get("value", []) for leaf in _leaf(m, parts)]
    if kind == "object":
        spec = validator.get("value", {}).get(parts[0])
        return _leaf(spec.get("fieldType", {}), parts[1:]) if spec else []
    if kind == "any":
        return [validator]
    return []


def _index_references(table: Json) -> Iterator[Finding]:
    """With schemaValidation on, every indexed field must exist in the document type."""
    name = str(table.get("tableName", ""))
    doc = table.get("documentType")
    if not doc:
        return
    for index in [*_db(table), *_search(table), *_vector(table)]:
        iname = str(index.get("indexDescriptor", ""))
        paths = [
            *index.get("fields", []),
            *filter(None, [index.get("searchField"), index.get("vectorField")]),
            *index.get("filterFields", []),
        ]
        for path in paths:
            parts = str(path).split(".")
            if len(parts) == 1 and parts[0].startswith("_"):
                continue  # system fields always exist
            if not _can_contain(doc, parts):
                yield Finding(
                    "push/index-field-missing",
                    f"index {name}.{iname} uses field {path}, which the table's document type does not have",
                    table=name,
                    index=iname,
                    field=str(path),
                )
        vector_field = index.get("vectorField")
        if vector_field and _can_contain(doc, str(vector_field).split(".")):
            leaves = _leaf(doc, str(vector_field).split("."))
            if not any(_is_vector(leaf) for leaf in leaves):
                yield Finding(
                    "push/vector-field-type",
                    f"vector index {name}.{iname} uses {vector_field}, which is not v.array(v.float64())",
                    table=name,
                    index=iname,
                    field=str(vector_field),
                )
