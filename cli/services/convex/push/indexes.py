"""Push rules on a table's indexes: database, search and vector indexes, their names, fields and
limits. Sources as in cli.services.convex.push.tables."""

from __future__ import annotations

from typing import Any

from cli.services.convex.push.documents import DocumentSchema
from cli.services.convex.push.findings import IndexName, TableFindings
from cli.services.convex.push.identifiers import FieldPath, identifier_problem
from cli.shared.types import JsonObject

MAX_INDEXES_PER_TABLE = 64  # schemas/mod.rs MAX_INDEXES_PER_TABLE
MAX_INDEX_FIELDS = 16  # bootstrap_model/index/mod.rs MAX_INDEX_FIELDS_SIZE, _creationTime included
MAX_FILTER_FIELDS = 16  # MAX_TEXT_INDEX_FILTER_FIELDS_SIZE, MAX_VECTOR_INDEX_FILTER_FIELDS_SIZE
VECTOR_DIMENSIONS = (2, 4096)  # vector_index/dimensions.rs MIN/MAX_VECTOR_DIMENSIONS
RESERVED_INDEX_NAMES = ("by_id", "by_creation_time")  # IndexDescriptor::is_reserved
U32_MAX = 2**32 - 1


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def check_indexes(t: TableFindings, table: JsonObject) -> None:
    """Every rule on the table's indexes, staged ones included (they count as well)."""
    db = [*_list(table.get("indexes")), *_list(table.get("stagedDbIndexes"))]
    search = [*_list(table.get("searchIndexes")), *_list(table.get("stagedSearchIndexes"))]
    vector = [*_list(table.get("vectorIndexes")), *_list(table.get("stagedVectorIndexes"))]
    if len(db) + len(search) + len(vector) > MAX_INDEXES_PER_TABLE:
        t.add(
            "push/too-many-indexes",
            f"table {t.name} has {len(db) + len(search) + len(vector)} indexes; "
            f"at most {MAX_INDEXES_PER_TABLE} are allowed (staged ones count too)",
        )
    _database_indexes(t, db)
    _search_indexes(t, search)
    _vector_indexes(t, vector)
    _index_names(
        t,
        [_index_name(i) for i in db]
        + [_index_name(i, "search index") for i in search]
        + [_index_name(i, "vector index") for i in vector],
    )


def _index_name(index: JsonObject, kind: str = "index") -> IndexName:
    return IndexName(str(index.get("indexDescriptor", "")), kind)


def _database_indexes(t: TableFindings, indexes: list[JsonObject]) -> None:
    by_fields: dict[tuple[str, ...], str] = {}
    for index in indexes:
        iname = _index_name(index)
        where = f"index {t.name}.{iname}"
        raw = _list(index.get("fields"))
        paths = [p for p in (t.path(iname, text, "field") for text in raw) if p is not None]
        if len(paths) < len(raw):
            continue  # the backend stops at the first unreadable path
        keys = [str(p) for p in paths]
        if not paths:
            t.add("push/index-no-fields", f"{where} has no fields", index=iname)
            continue
        if len(paths) > MAX_INDEX_FIELDS - 1:
            t.add(
                "push/index-too-many-fields",
                f"{where} has {len(paths)} fields; at most {MAX_INDEX_FIELDS - 1} are allowed "
                "(the backend appends _creationTime to every index)",
                index=iname,
            )
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            t.add("push/index-repeated-field", f"{where} lists {key} more than once", index=iname, path=key)
        for path in paths:
            key = str(path)
            if key in ("_id", "_creationTime"):
                t.add(
                    "push/index-system-field",
                    f"{where} lists {key}; _id is never indexable and _creationTime is added to every "
                    "index automatically",
                    index=iname,
                    path=key,
                )
            elif any(part.startswith("_") for part in path.parts):
                t.add(
                    "push/index-reserved-field",
                    f"{where} uses {key}; fields starting with _ are not allowed in indexes",
                    index=iname,
                    path=key,
                )
            else:
                t.referenced.append((iname, path))
        fields = tuple(keys)
        if fields in by_fields:
            t.add(
                "push/same-index-fields",
                f"{where} has the same fields as index {t.name}.{by_fields[fields]}",
                index=iname,
            )
        by_fields.setdefault(fields, iname)


def _filter_paths(t: TableFindings, iname: IndexName, index: JsonObject) -> tuple[str, ...] | None:
    """The filter fields as the backend keeps them: a set, so repeats merge."""
    raw = _list(index.get("filterFields"))
    paths = [t.path(iname, text, "filter field") for text in raw]
    if any(p is None for p in paths):
        return None
    kept = sorted({str(p) for p in paths if p is not None})
    if len(kept) < len(raw):
        repeated = sorted({str(p) for p in paths if [str(q) for q in paths].count(str(p)) > 1})
        t.warn(
            "push/filter-field-repeated",
            f"{iname.of(t.name)} lists filter field {', '.join(repeated)} more than once; "
            "the backend keeps one",
            index=iname,
        )
    if len(kept) > MAX_FILTER_FIELDS:
        t.add(
            "push/too-many-filter-fields",
            f"{iname.of(t.name)} has {len(kept)} filter fields; at most {MAX_FILTER_FIELDS} are allowed",
            index=iname,
        )
    return tuple(kept)


def _search_indexes(t: TableFindings, indexes: list[JsonObject]) -> None:
    seen: dict[tuple[object, ...], str] = {}
    for index in indexes:
        iname = _index_name(index, "search index")
        search_field = t.path(iname, index.get("searchField"), "search field")
        filters = _filter_paths(t, iname, index)
        if search_field is None or filters is None:
            continue
        t.referenced.append((iname, search_field))
        t.referenced += [(iname, FieldPath(tuple(f.split(".")))) for f in filters]
        key = (str(search_field), filters)
        if key in seen:
            t.add(
                "push/same-search-index",
                f"search index {t.name}.{iname} has the same search field and filter fields as "
                f"search index {t.name}.{seen[key]}",
                index=iname,
            )
        seen.setdefault(key, iname)


def _dimensions(index: JsonObject) -> tuple[int | None, str | None]:
    """`dimensions` as `Option<u32>`, then `VectorDimensions::try_from`."""
    dims = index.get("dimensions")
    if dims is None:
        dims = index.get("dimension")  # the legacy spelling the backend still reads
    if dims is None:
        return None, "has no dimensions"
    if isinstance(dims, bool) or not isinstance(dims, int) or not 0 <= dims <= U32_MAX:
        return None, f"has dimensions {dims!r}, which is not a whole number"
    low, high = VECTOR_DIMENSIONS
    if not low <= dims <= high:
        return None, f"has {dims} dimensions; it must have {low} to {high}"
    return dims, None


def _vector_indexes(t: TableFindings, indexes: list[JsonObject]) -> None:
    seen: dict[tuple[str, int], str] = {}
    for index in indexes:
        iname = _index_name(index, "vector index")
        vector_field = t.path(iname, index.get("vectorField"), "vector field")
        filters = _filter_paths(t, iname, index)  # not checked for existence: see _index_references
        dims, problem = _dimensions(index)
        if problem:
            t.add("push/vector-dimensions", f"vector index {t.name}.{iname} {problem}", index=iname)
        if vector_field is None or filters is None or dims is None:
            continue
        t.vector_fields.append((iname, vector_field))
        key = (str(vector_field), dims)
        if key in seen:
            t.add(
                "push/same-vector-index",
                f"vector index {t.name}.{iname} indexes the same field with the same dimensions as "
                f"vector index {t.name}.{seen[key]}",
                index=iname,
            )
        seen.setdefault(key, iname)


def _index_names(t: TableFindings, names: list[IndexName]) -> None:
    seen: set[str] = set()
    for iname in names:
        problem = identifier_problem(iname)
        if problem:
            t.add("push/index-name", f"{iname.of(t.name)} has an invalid name: {problem}", index=iname)
        elif iname in RESERVED_INDEX_NAMES or iname.startswith("_"):
            t.add(
                "push/reserved-index",
                f"{iname.of(t.name)}: the name is reserved (by_id, by_creation_time and names "
                "starting with _ belong to the system)",
                index=iname,
            )
        if iname in seen:
            t.add(
                "push/duplicate-index",
                f"{iname.of(t.name)} is defined more than once (names are unique across "
                "database, search and vector indexes, staged or not)",
                index=iname,
            )
        seen.add(iname)


def index_references(t: TableFindings, schema: DocumentSchema) -> None:
    """`check_index_references`: database index fields, search fields and search filter
    fields must exist in the document type (vector filter fields are not checked), and a
    vector field must be able to hold an array of float64."""
    reported: set[tuple[str, str]] = set()
    for iname, path in [*t.referenced, *t.vector_fields]:
        if (iname, str(path)) not in reported and not schema.can_contain(path):
            reported.add((iname, str(path)))
            t.add(
                "push/index-field-missing",
                f"{iname.of(t.name)} uses field {path}, which the table's document type does not have",
                index=iname,
                path=str(path),
            )
    for iname, path in t.vector_fields:
        if (iname, str(path)) not in reported and not schema.vector_eligible(path):
            t.add(
                "push/vector-field-type",
                f"vector index {t.name}.{iname} uses {path}, which is neither v.array(v.float64()) "
                "nor an optional one",
                index=iname,
                path=str(path),
            )
