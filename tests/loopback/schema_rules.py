"""The backend's refusals of a pushed schema: what Convex answers ``start_push`` with (HTTP 400,
``{"code", "message"}``) for a schema that evaluates but that it will not take.

Written from convex-backend's Rust source (get-convex/convex-backend; paths below are in that
repository), and from nothing in this project's ``cli/``: the app's own push rules are tested
against this, so this must not be them checking themselves. The backend turns the
``default.export()`` JSON into a ``DatabaseSchema`` and checks it in three passes, the first
error winning:

1. ``crates/common/src/schemas/json.rs``, ``TryFrom<DatabaseSchemaJson>``: every table in
   export order, through ``TryFrom<TableDefinitionJson>`` (table name, index count, each kind
   of index parsed and compared, then every index name);
2. ``crates/application/src/lib.rs``, ``Application::_evaluate_schema`` →
   ``_validate_user_defined_index_fields``: database index fields, tables and indexes in name
   order (they are now ``BTreeMap`` keys);
3. ``crates/common/src/schemas/mod.rs``, ``DatabaseSchema::check_index_references`` (only with
   ``schemaValidation``): every index field must be one the table's documents can have, and a
   vector field an array of float64.

:func:`refusal` gives the error's code and message; the caller prefixes the message as the
backend does (``"Hit an error while evaluating your schema:\\n"``, then for ``start_push``
``"Hit an error while pushing:\\n"``). Not modelled: errors inside a document validator
(``InvalidRecordType``, a table validator that is not an object, a union of objects or
``v.any()``: such a table is treated as ``v.any()``), and JSON the real ``convex`` package
never exports (missing keys count as empty).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final, TypeVar

from tests.loopback.values import Json, JsonObject

# crates/convex/sync_types/src/identifier.rs
MAX_IDENTIFIER_LEN: Final = 64
# crates/common/src/schemas/mod.rs
MAX_INDEXES_PER_TABLE: Final = 64
# crates/common/src/bootstrap_model/index/mod.rs
MAX_INDEX_FIELDS_SIZE: Final = 16
MAX_TEXT_INDEX_FILTER_FIELDS_SIZE: Final = 16
MAX_VECTOR_INDEX_FILTER_FIELDS_SIZE: Final = 16
# crates/common/src/bootstrap_model/index/vector_index/dimensions.rs
MIN_VECTOR_DIMENSIONS: Final = 2
MAX_VECTOR_DIMENSIONS: Final = 4096
# crates/common/src/types/index.rs: INDEX_BY_ID_DESCRIPTOR, INDEX_BY_CREATION_TIME_DESCRIPTOR
RESERVED_INDEX_NAMES: Final = ("by_id", "by_creation_time")
CREATION_TIME: Final = ("_creationTime",)
ID: Final = ("_id",)
# serde aliases of ValidatorJson::Any in json.rs
ANY_TYPES: Final = ("any", "map", "set")

_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

FieldPath = tuple[str, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Refusal:
    """An ``ErrorMetadata::bad_request``: the short code and the message, before the
    evaluate/push prefixes."""

    code: str
    message: str


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.refusal = Refusal(code, message)


# -- names and paths ---------------------------------------------------------------------


def is_valid_identifier(name: str) -> bool:
    """``is_valid_identifier`` (crates/convex/sync_types/src/identifier.rs): ASCII letter or
    ``_`` first, then letters, digits, ``_``; at most 64 bytes; not only underscores."""
    return bool(_IDENTIFIER.match(name)) and len(name) <= MAX_IDENTIFIER_LEN and name.strip("_") != ""


def is_reserved_index_name(name: str) -> bool:
    """``IndexDescriptor::is_reserved`` (crates/common/src/types/index.rs)."""
    return name in RESERVED_INDEX_NAMES or name.startswith("_")


def parse_field_path(path: object) -> FieldPath | None:
    """``FieldPath::from_str`` (crates/value/src/field_path.rs): leading and trailing dots are
    trimmed, then every dot-separated part must be an ``IdentifierFieldName``
    (crates/value/src/field_name.rs, an identifier). None where the backend fails."""
    if not isinstance(path, str):
        return None
    parts = tuple(path.strip(".").split("."))
    if not all(is_valid_identifier(part) for part in parts):
        return None  # also the empty path: "" is no identifier
    return parts


def show_path(path: FieldPath) -> str:
    """``Display for FieldPath``: the dotted path in double quotes."""
    return '"' + ".".join(path) + '"'


# -- error texts (crates/common/src/bootstrap_model/index/index_validation_error.rs) -------


def _invalid_index_name(descriptor: str) -> _Refused:
    return _Refused(
        "InvalidIndexName",
        f'Invalid index name: "{descriptor}". Identifiers must be 64 characters or less, start with '
        "a letter, and only contain letters, digits, underscores.",
    )


def _invalid_index_field(descriptor: str, field: str) -> _Refused:
    return _Refused("InvalidIndexField", f'In index "{descriptor}": Invalid index field: "{field}"')


def _wrapped(error: _Refused, prefix: str) -> _Refused:
    """``wrap_error_message`` (crates/errors/src/lib.rs): the same code, the message prefixed."""
    return _Refused(error.refusal.code, prefix + error.refusal.message)


def _search_or_vector_not_unique(kind: str, field: str, table: str, index1: str, index2: str) -> str:
    # The Rust literal has a bare line break before "indexes" (no `\`), so the message keeps it
    # and the next line's 13 spaces of indentation.
    return (
        f'In table "{table}" {kind} index "{index1}" and {kind} index "{index2}" have the same '
        f"`{field}`. {kind.capitalize()} index fields must be unique within a table. You should "
        f"combine the\n             indexes with the same `{field}` into one index containing all "
        "`filterField`s and then use different subsets of the `filterField`s at query time."
    )


# -- pass 1: json.rs, TryFrom<TableDefinitionJson> ----------------------------------------


@dataclass(frozen=True)
class _DbIndex:
    name: str
    fields: tuple[FieldPath, ...]


@dataclass(frozen=True)
class _TextIndex:
    name: str
    search_field: FieldPath
    filter_fields: tuple[FieldPath, ...]  # a BTreeSet: sorted, no duplicates


@dataclass(frozen=True)
class _VectorIndex:
    name: str
    vector_field: FieldPath
    dimensions: int
    filter_fields: tuple[FieldPath, ...]


@dataclass(frozen=True)
class _Table:
    name: str
    # BTreeMap<IndexDescriptor, _>: by name, a later definition replacing an earlier one
    indexes: dict[str, _DbIndex]
    staged_db_indexes: dict[str, _DbIndex]
    text_indexes: dict[str, _TextIndex]
    staged_text_indexes: dict[str, _TextIndex]
    vector_indexes: dict[str, _VectorIndex]
    staged_vector_indexes: dict[str, _VectorIndex]
    document_type: Json  # the documentType JSON; None: no validator (anything goes)


def _list(value: Json) -> list[Json]:
    return value if isinstance(value, list) else []


def _descriptor(raw: Json) -> str:
    """``IndexDescriptor::new``: a valid identifier, else ``InvalidIndexName``."""
    if not isinstance(raw, str) or not is_valid_identifier(raw):
        raise _invalid_index_name(str(raw))
    return raw


def _index_field(descriptor: str, raw: Json) -> FieldPath:
    path = parse_field_path(raw)
    if path is None:
        raise _invalid_index_field(descriptor, str(raw))
    return path


def _db_index(j: JsonObject) -> _DbIndex:
    """``TryFrom<IndexSchemaJson> for IndexSchema``, with ``TryFrom<Vec<FieldPath>> for
    IndexedFields`` (crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs),
    whose errors are prefixed with the index."""
    name = _descriptor(j.get("indexDescriptor"))
    fields = tuple(_index_field(name, raw) for raw in _list(j.get("fields")))
    prefix = f'In index "{name}": '
    if len(fields) > MAX_INDEX_FIELDS_SIZE:
        raise _Refused(
            "IndexTooManyFields", f"{prefix}Indexes may have up to {MAX_INDEX_FIELDS_SIZE} fields."
        )
    if ID in fields:
        raise _Refused(
            "IndexFieldsContainId",
            f"{prefix}`_id` is not a valid index field. To load documents by ID, use `db.get(id)`.",
        )
    seen: set[FieldPath] = set()
    for field in fields:
        if field in seen:
            raise _Refused(
                "FieldsNotUniqueWithinIndex",
                f"{prefix}Duplicate field {show_path(field)}. Index fields must be unique within an index.",
            )
        seen.add(field)
    return _DbIndex(name, fields)


def _filter_fields(name: str, raws: list[Json], most: int) -> tuple[FieldPath, ...]:
    paths = sorted({_index_field(name, raw) for raw in raws})
    if len(paths) > most:
        # TextIndexSchema::new / VectorIndexSchema::new; the text says "Search" for both.
        raise _Refused("IndexTooManyFilterFields", f"Search indexes may have up to {most} filter fields.")
    return tuple(paths)


def _text_index(j: JsonObject) -> _TextIndex:
    """``TryFrom<TextIndexSchemaJson> for TextIndexSchema``. Its ``filter_fields`` is a
    ``BTreeSet<String>``: the raw strings are parsed in sorted order."""
    name = _descriptor(j.get("indexDescriptor"))
    search_field = _index_field(name, j.get("searchField"))
    raws: list[Json] = sorted({str(raw) for raw in _list(j.get("filterFields"))})
    return _TextIndex(name, search_field, _filter_fields(name, raws, MAX_TEXT_INDEX_FILTER_FIELDS_SIZE))


def _vector_index(j: JsonObject) -> _VectorIndex:
    """``TryFrom<VectorIndexSchemaJson> for VectorIndexSchema``: field, filter fields (parsed
    in the given order), dimensions (``dimensions``, else the legacy ``dimension``)."""
    name = _descriptor(j.get("indexDescriptor"))
    vector_field = _index_field(name, j.get("vectorField"))
    paths = {_index_field(name, raw) for raw in _list(j.get("filterFields"))}
    dimensions = j.get("dimensions", j.get("dimension"))
    if dimensions is None:
        # A plain anyhow error: _evaluate_schema reports it as InvalidSchema (see refusal()).
        raise _Refused("InvalidSchema", "Missing dimensions field")
    if isinstance(dimensions, bool) or not isinstance(dimensions, int):
        # serde's u32 refuses it; its text is not modelled.
        raise _Refused("InvalidSchema", f"invalid dimensions {dimensions!r}")
    if not MIN_VECTOR_DIMENSIONS <= dimensions <= MAX_VECTOR_DIMENSIONS:
        raise _Refused(
            "InvalidVectorDimensionError",
            f"Dimensions {dimensions} must be between {MIN_VECTOR_DIMENSIONS} and {MAX_VECTOR_DIMENSIONS}.",
        )
    if len(paths) > MAX_VECTOR_INDEX_FILTER_FIELDS_SIZE:
        raise _Refused(
            "IndexTooManyFilterFields",
            f"Search indexes may have up to {MAX_VECTOR_INDEX_FILTER_FIELDS_SIZE} filter fields.",
        )
    return _VectorIndex(name, vector_field, dimensions, tuple(sorted(paths)))


def _parse_names_and_indexes(
    table: str, raws: list[Json], parse: Callable[[JsonObject], T], name: Callable[[T], str]
) -> tuple[list[str], dict[str, T]]:
    """``parse_names_and_indexes`` in json.rs: every name in order (duplicates kept, for the
    name check), and the indexes by name; a parse error gets the table's prefix."""
    names: list[str] = []
    by_name: dict[str, T] = {}
    for raw in raws:
        try:
            index = parse(raw if isinstance(raw, dict) else {})
        except _Refused as error:
            raise _wrapped(error, f'In table "{table}": ') from None
        names.append(name(index))
        by_name[name(index)] = index
    return names, by_name


def _sorted_items(by_name: dict[str, T]) -> list[tuple[str, T]]:
    return sorted(by_name.items())


def _validate_unique_index_fields(
    indexes: list[tuple[str, T]], key: Callable[[T], object], error: Callable[[str, str], _Refused]
) -> None:
    """``validate_unique_index_fields`` in json.rs: collected into a BTreeMap by name (a later
    same name replaces), then the first index whose key an earlier name had."""
    by_name = dict(indexes)
    seen: dict[object, str] = {}
    for name, index in sorted(by_name.items()):
        other = seen.get(key(index))
        if other is not None:
            raise error(name, other)
        seen[key(index)] = name


def _table_definition(j: JsonObject) -> _Table:
    """``TryFrom<TableDefinitionJson> for TableDefinition`` in json.rs, in its order."""
    db_raws = _list(j.get("indexes"))
    staged_db_raws = _list(j.get("stagedDbIndexes"))
    text_raws = _list(j.get("searchIndexes"))
    staged_text_raws = _list(j.get("stagedSearchIndexes"))
    vector_raws = _list(j.get("vectorIndexes"))
    staged_vector_raws = _list(j.get("stagedVectorIndexes"))

    table = j.get("tableName")
    if not isinstance(table, str) or not is_valid_identifier(table):
        raise _Refused(
            "InvalidTableName",
            f'Invalid table name: "{table}". Identifiers must start with a letter and can only contain '
            "letters, digits, and underscores.",
        )
    if table.startswith("_"):  # TableName::is_system (crates/value/src/table_name.rs)
        raise _Refused("TableNameReserved", f"{table} is a reserved table name.")
    total = sum(
        map(len, (db_raws, staged_db_raws, text_raws, staged_text_raws, vector_raws, staged_vector_raws))
    )
    if total > MAX_INDEXES_PER_TABLE:
        raise _Refused(
            "TooManyIndexes", f'Table "{table}" cannot have more than {MAX_INDEXES_PER_TABLE} indexes.'
        )

    def db_name(index: _DbIndex) -> str:
        return index.name

    db_names, indexes = _parse_names_and_indexes(table, db_raws, _db_index, db_name)
    for _, index in _sorted_items(indexes):
        if not index.fields:
            raise _Refused(
                "EmptyIndex", f'In table "{table}" index "{index.name}" must have at least one field.'
            )
    staged_db_names, staged_db = _parse_names_and_indexes(table, staged_db_raws, _db_index, db_name)
    for _, index in _sorted_items(staged_db):
        if not index.fields:
            raise _Refused(
                "EmptyIndex", f'In table "{table}" staged index "{index.name}" must have at least one field.'
            )
    _validate_unique_index_fields(
        _sorted_items(indexes) + _sorted_items(staged_db),
        lambda index: index.fields,
        lambda name, other: _Refused(
            "IndexNotUnique",
            f'In table "{table}" index "{name}" and index "{other}" have the same fields. '
            "Indexes must be unique within a table.",
        ),
    )

    def text_name(index: _TextIndex) -> str:
        return index.name

    text_names, text = _parse_names_and_indexes(table, text_raws, _text_index, text_name)
    staged_text_names, staged_text = _parse_names_and_indexes(table, staged_text_raws, _text_index, text_name)
    _validate_unique_index_fields(
        _sorted_items(text) + _sorted_items(staged_text),
        lambda index: (index.search_field, index.filter_fields),
        lambda name, other: _Refused(
            "SearchIndexFieldNotUnique",
            _search_or_vector_not_unique("search", "searchField", table, name, other),
        ),
    )

    def vector_name(index: _VectorIndex) -> str:
        return index.name

    vector_names, vector = _parse_names_and_indexes(table, vector_raws, _vector_index, vector_name)
    staged_vector_names, staged_vector = _parse_names_and_indexes(
        table, staged_vector_raws, _vector_index, vector_name
    )
    _validate_unique_index_fields(
        _sorted_items(vector) + _sorted_items(staged_vector),
        lambda index: (index.vector_field, index.dimensions),
        lambda name, other: _Refused(
            "VectorIndexFieldNotUnique",
            _search_or_vector_not_unique("vector", "vectorField", table, name, other),
        ),
    )

    # One namespace for every kind of index; this order is json.rs's (staged vector names
    # before vector names). Each name is checked, then compared with the earlier ones.
    seen: set[str] = set()
    for name in (
        db_names + staged_db_names + text_names + staged_text_names + staged_vector_names + vector_names
    ):
        # `_fivetran…` names go through IndexName::new_reserved, which wants them reserved.
        if not name.startswith("_fivetran") and is_reserved_index_name(name):
            raise _Refused(
                "IndexNameReserved",
                f'In table "{table}" cannot name an index "{name}" because the name is reserved. Indexes '
                'may not start with an underscore or be named "by_id" or "by_creation_time".',
            )
        if name in seen:
            raise _Refused(
                "IndexNamesNotUnique", f'Table "{table}" has two or more definitions of index "{name}".'
            )
        seen.add(name)

    return _Table(table, indexes, staged_db, text, staged_text, vector, staged_vector, j.get("documentType"))


# -- pass 2: lib.rs, _validate_user_defined_index_fields ---------------------------------


def _check_user_defined_index_fields(tables: dict[str, _Table]) -> None:
    """Database (and staged database) index fields may not be system fields; the backend then
    appends ``_creationTime`` to each (pass 3 sees it, as a system field it always passes)."""
    for _, table in _sorted_items(tables):
        for _, index in _sorted_items(table.indexes) + _sorted_items(table.staged_db_indexes):
            if CREATION_TIME in index.fields:
                raise _Refused(
                    "IndexFieldsContainCreationTime",
                    "`_creationTime` is automatically added to the end of each index. It should not be "
                    "added explicitly in the index definition. See https://docs.convex.dev/using/indexes "
                    "for more details.",
                )
            if any(part.startswith("_") for field in index.fields for part in field):
                raise _Refused(
                    "IndexFieldNameReserved",
                    "Reserved fields (starting with `_`) are not allowed in indexes.",
                )


# -- pass 3: mod.rs, check_index_references ----------------------------------------------


def _document_members(document_type: Json) -> list[JsonObject] | None:
    """``TryFrom<ValidatorJson> for DocumentSchema`` (json.rs): None for ``Any`` (and, not
    modelled, any other top-level validator), else the union's object members with their
    top-level system fields dropped (``ObjectValidator::filter_system_fields``)."""
    if not isinstance(document_type, dict):
        return None
    kind = document_type.get("type")
    if kind == "object":
        members = [document_type]
    elif kind == "union":
        members = [m for m in _list(document_type.get("value")) if isinstance(m, dict)]
        if any(member.get("type") != "object" for member in members):
            return None
    else:
        return None
    return [
        {
            "type": "object",
            "value": {k: v for k, v in _fields(member).items() if not k.startswith("_")},
        }
        for member in members
    ]


def _fields(validator: JsonObject) -> JsonObject:
    value = validator.get("value")
    return value if isinstance(value, dict) else {}


def _field_validator(validator: JsonObject, name: str) -> JsonObject | None:
    """An object validator's field's own validator (optional or not: ``FieldValidator``)."""
    field = _fields(validator).get(name)
    if not isinstance(field, dict):
        return None
    inner = field.get("fieldType")
    return inner if isinstance(inner, dict) else {}


def can_contain_field(validator: JsonObject, path: FieldPath) -> bool:
    """``Validator::_can_contain_field`` (crates/common/src/schemas/validator.rs): through
    ``v.any()`` anything, through a union any member, through an object its field; any other
    validator (a record, an array, a scalar) has no fields."""
    if not path:
        return True
    kind = validator.get("type")
    if kind in ANY_TYPES:
        return True
    if kind == "union":
        return any(can_contain_field(m, path) for m in _list(validator.get("value")) if isinstance(m, dict))
    if kind == "object":
        inner = _field_validator(validator, path[0])
        return inner is not None and can_contain_field(inner, path[1:])
    return False


def document_can_contain_field(document_type: Json, path: FieldPath) -> bool:
    """``DocumentSchema::can_contain_field`` (mod.rs): a lone system field always; else
    through the table's validator."""
    if len(path) == 1 and path[0].startswith("_"):
        return True
    members = _document_members(document_type)
    return members is None or any(can_contain_field(member, path) for member in members)


def _is_valid_vector_validator(validator: JsonObject) -> bool:
    """``Validator::is_valid_vector_validator``: ``v.array(v.float64())``, ``v.array(v.any())``,
    ``v.any()``, or a union with one of them."""
    kind = validator.get("type")
    if kind == "array":
        element = validator.get("value")
        return isinstance(element, dict) and element.get("type") in ("number", *ANY_TYPES)
    if kind in ANY_TYPES:
        return True
    if kind == "union":
        return any(
            _is_valid_vector_validator(m) for m in _list(validator.get("value")) if isinstance(m, dict)
        )
    return False


def overlaps_with_array_float64(validator: JsonObject, path: FieldPath) -> bool:
    """``Validator::_overlaps_with_array_float64``: as ``can_contain_field``, except that a
    field an object lacks passes (that is the other check's business)."""
    if not path:
        return _is_valid_vector_validator(validator)
    kind = validator.get("type")
    if kind in ANY_TYPES:
        return True
    if kind == "union":
        return any(
            overlaps_with_array_float64(m, path) for m in _list(validator.get("value")) if isinstance(m, dict)
        )
    if kind == "object":
        inner = _field_validator(validator, path[0])
        return inner is None or overlaps_with_array_float64(inner, path[1:])
    return False


def _fields_referenced_in_indexes(table: _Table) -> Iterator[tuple[str, FieldPath]]:
    """``TableDefinition::fields_referenced_in_indexes`` (mod.rs), in its order: database index
    fields (each with the appended ``_creationTime``), search fields, search filter fields,
    vector fields. Vector filter fields are not among them."""
    for name, db in _sorted_items(table.indexes) + _sorted_items(table.staged_db_indexes):
        for field in (*db.fields, CREATION_TIME):
            yield name, field
    texts = _sorted_items(table.text_indexes) + _sorted_items(table.staged_text_indexes)
    for name, text in texts:
        yield name, text.search_field
    for name, text in texts:
        for field in text.filter_fields:
            yield name, field
    yield from _vector_fields(table)


def _vector_fields(table: _Table) -> Iterator[tuple[str, FieldPath]]:
    for name, vector in _sorted_items(table.vector_indexes) + _sorted_items(table.staged_vector_indexes):
        yield name, vector.vector_field


def _check_index_references(tables: dict[str, _Table], schema_validation: bool) -> None:
    if not schema_validation:
        return
    for table_name, table in _sorted_items(tables):
        if table.document_type is None:
            continue  # no validator: every field may exist (and be a vector)
        for index, field in _fields_referenced_in_indexes(table):
            if not document_can_contain_field(table.document_type, field):
                raise _Refused(
                    "SchemaDefinitionError",
                    f'In table "{table_name}" the index "{index}" is invalid because it references the '
                    f"field {show_path(field)} that does not exist.",
                )
        members = _document_members(table.document_type)
        for index, field in _vector_fields(table):
            if members is not None and not any(overlaps_with_array_float64(m, field) for m in members):
                raise _Refused(
                    "SchemaDefinitionError",
                    f'In table "{table_name}" the vector index "{index}" is invalid because it references '
                    f"the field {show_path(field)} that is neither an array of float64 or optional array "
                    "of float64.",
                )


# -- the whole -----------------------------------------------------------------------------


def refusal(export: Json) -> Refusal | None:
    """The backend's error for this schema export (``defineSchema(...).export()`` parsed), or
    None when it takes it. The message has no prefix yet (see the module docstring)."""
    schema = export if isinstance(export, dict) else {}
    try:
        tables: dict[str, _Table] = {}
        for raw in _list(schema.get("tables")):
            table = _table_definition(raw if isinstance(raw, dict) else {})
            tables[table.name] = table  # a BTreeMap: a later same name replaces
        _check_user_defined_index_fields(tables)
        # DatabaseSchemaJson.schema_validation: Option<bool>, absent → false
        _check_index_references(tables, schema.get("schemaValidation") is True)
    except _Refused as error:
        return error.refusal
    return None
