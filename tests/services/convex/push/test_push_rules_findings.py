"""Every push rule's findings in full (code, message, table, field, index, severity), in-process
on hand-made exports (the JSON `defineSchema(...).export()` writes), where test_push_rules.py
and the peer corpus check codes on schemas Node evaluated. Each group cites the backend source
of get-convex/convex-backend at commit 94a42c3db that the rule mirrors."""

from __future__ import annotations

from typing import Any

import pytest

from cli.services.convex.push import check_push_rules, push_rules_result, too_deep
from cli.shared.report import Finding, Severity, Status

Json = dict[str, Any]
S: Json = {"type": "string"}
NUMBER: Json = {"type": "number"}
ANY: Json = {"type": "any"}
INFINITY: Json = {"$float": "AAAAAAAA8H8="}  # convexToJson(Infinity): eight bytes, little-endian


def field(validator: Json, optional: bool = False) -> Json:
    return {"fieldType": validator, "optional": optional}


def obj(**fields: Json) -> Json:
    return {"type": "object", "value": {k: v if "fieldType" in v else field(v) for k, v in fields.items()}}


def arr(item: Json) -> Json:
    return {"type": "array", "value": item}


def union(*members: Json) -> Json:
    return {"type": "union", "value": list(members)}


def lit(value: object) -> Json:
    return {"type": "literal", "value": value}


def id_(table: str) -> Json:
    return {"type": "id", "tableName": table}


def rec(keys: Json, values: Json, optional: bool = False) -> Json:
    return {"type": "record", "keys": keys, "values": field(values, optional)}


def db(name: str, *fields: object) -> Json:
    return {"indexDescriptor": name, "fields": list(fields)}


def search(name: str, search_field: str, *filters: str) -> Json:
    return {"indexDescriptor": name, "searchField": search_field, "filterFields": list(filters)}


def vector(name: str, vector_field: str, dims: object, *filters: str, key: str = "dimensions") -> Json:
    index = {"indexDescriptor": name, "vectorField": vector_field, "filterFields": list(filters)}
    return index if dims is None else {**index, key: dims}


def table(
    document: Json | None = None,
    name: str = "t",
    *,
    indexes: list[Json] | None = None,
    searches: list[Json] | None = None,
    vectors: list[Json] | None = None,
    staged: list[Json] | None = None,
    staged_searches: list[Json] | None = None,
    staged_vectors: list[Json] | None = None,
) -> Json:
    made: Json = {
        "tableName": name,
        "indexes": indexes or [],
        "stagedDbIndexes": staged or [],
        "searchIndexes": searches or [],
        "stagedSearchIndexes": staged_searches or [],
        "vectorIndexes": vectors or [],
        "stagedVectorIndexes": staged_vectors or [],
    }
    return made if document is None else {**made, "documentType": document}


def export(*tables: Json, validation: bool = True) -> Json:
    return {"tables": list(tables), "schemaValidation": validation}


def error(
    code: str, message: str, table: str | None = "t", *, field: str | None = None, index: str | None = None
) -> Finding:
    return Finding(code, message, table=table, field=field, index=index)


def warning(
    code: str, message: str, table: str | None = "t", *, field: str | None = None, index: str | None = None
) -> Finding:
    return Finding(code, message, table=table, field=field, index=index, severity=Severity.WARNING)


IDENTIFIER = "identifiers hold only letters, digits and _"
RESERVED = "the name is reserved (by_id, by_creation_time and names starting with _ belong to the system)"
SYSTEM_FIELD = "_id is never indexable and _creationTime is added to every index automatically"
TWICE = (
    "is defined more than once (names are unique across database, search and vector indexes, staged or not)"
)
KEYS = "keys must be v.string(), v.id(...) or a union of them"
DROPPED = (
    "the backend drops top-level fields starting with _ from the schema, so it is not validated "
    "(documents cannot have such fields besides _id and _creationTime)"
)
DOCUMENT = "the document validator must be an object, a union of objects or v.any(), not"
MISSING = "which the table's document type does not have"
NOT_VECTOR = "which is neither v.array(v.float64()) nor an optional one"
WHOLE = "which is not a whole number"
DOC = obj(a=S, b=S, meta=obj(x=S, _x=S), e=arr(NUMBER), s=S, o=obj(k=ANY), an=ANY, u=union(obj(x=S), S), X=S)
MANY = obj(**{f"f{i}": S for i in range(20)})

# Names, document types and validators: crates/convex/sync_types/src/identifier.rs
# (`check_valid_identifier_slow`, `check_valid_field_name`), crates/common/src/schemas/json.rs
# (`TryFrom<ValidatorJson> for Validator`, `TryFrom<ValidatorJson> for DocumentSchema`,
# `TryFrom<TableDefinitionJson>`: `table_name_reserved`) and validator.rs (`is_subset`,
# `is_string_subtype_with_string_literal`, `filter_system_fields`).
DOCUMENTS: dict[str, tuple[Json, list[Finding]]] = {
    "table name": (
        export(table(obj(a=S), "bad-name")),
        [
            error(
                "push/table-name",
                f"table name 'bad-name' is invalid: it contains '-'; {IDENTIFIER}",
                "bad-name",
            )
        ],
    ),
    "table name of 65 bytes": (
        export(table(obj(a=S), "t" * 65)),
        [
            error(
                "push/table-name",
                f"table name '{'t' * 65}' is invalid: it is 65 bytes long; at most 64 bytes are allowed",
                "t" * 65,
            )
        ],
    ),
    "table name starting with a digit": (
        export(table(obj(a=S), "1t")),
        [
            error(
                "push/table-name",
                "table name '1t' is invalid: it starts with '1'; identifiers start with a letter or _",
                "1t",
            )
        ],
    ),
    "table name of underscores only": (
        export(table(obj(a=S), "___")),
        [error("push/table-name", "table name '___' is invalid: it consists only of underscores", "___")],
    ),
    "reserved table": (
        export(table(obj(a=S), "_secrets")),
        [
            error(
                "push/reserved-table",
                "table name '_secrets' starts with _, which is reserved for system tables",
                "_secrets",
            )
        ],
    ),
    "field names": (
        export(table(obj(**{"$p": S, "meta": obj(**{"a b": S}), "\x7f": S}))),
        [
            error("push/field-name", "field t.$p is invalid: names starting with $ are reserved", field="$p"),
            error(
                "push/field-name",
                f"field t.meta.a b is invalid: it contains ' '; {IDENTIFIER}",
                field="meta.a b",
            ),
            error(
                "push/field-name",
                "field t.\x7f is invalid: field names hold only printable ASCII",
                field="\x7f",
            ),
        ],
    ),
    "field names of 1024 and 1025 bytes": (
        export(table(obj(**{"a" * 1024: S, "b" * 1025: S}))),
        [
            error(
                "push/field-name",
                f"field t.{'a' * 1024} is invalid: it is 1024 bytes long; at most 64 bytes are allowed",
                field="a" * 1024,
            ),
            error(
                "push/field-name",
                f"field t.{'b' * 1025} is invalid: it is longer than 1024 bytes",
                field="b" * 1025,
            ),
        ],
    ),
    "ids naming no valid table, in records' keys and values too": (
        export(table(obj(r=id_("no-way"), k=rec(id_("bad key"), S), v=rec(S, arr(id_("")))))),
        [
            error(
                "push/id-table-name",
                f"t.k: v.id('bad key') names no valid table: it contains ' '; {IDENTIFIER}",
                field="k",
            ),
            error(
                "push/id-table-name",
                f"t.r: v.id('no-way') names no valid table: it contains '-'; {IDENTIFIER}",
                field="r",
            ),
            error("push/id-table-name", "t.v: v.id('') names no valid table: it is empty", field="v"),
        ],
    ),
    "record keys": (
        export(table(obj(m=rec(NUMBER, S), n=arr(rec(union(S, NUMBER), S)), ok=rec(union(S, id_("t")), S)))),
        [
            error("push/record-keys", f"record in t.m: {KEYS}", field="m"),
            error("push/record-keys", f"record in t.n: {KEYS}", field="n"),
        ],
    ),
    "record literal keys": (
        export(table(obj(m=rec(union(lit("a"), S), S), n=rec(lit(1), S)))),
        [
            error(
                "push/record-literal-keys",
                "record in t.m: keys must not be string literals (use v.object for known keys)",
                field="m",
            ),
            error("push/record-keys", f"record in t.n: {KEYS}", field="n"),
        ],
    ),
    "record values optional": (
        export(table(obj(m=rec(S, S, optional=True)))),
        [error("push/record-values", "record in t.m: values must not be optional", field="m")],
    ),
    "malformed validators": (
        export(
            table(obj(x={"type": "strnig"}, y={"type": "array"}, z=union(S, {"type": "record", "keys": S})))
        ),
        [
            error("push/malformed", "t.x: the backend does not know the validator 'strnig'"),
            error("push/malformed", "t.y: the array validator has no proper value", field="y"),
            error("push/malformed", "t.z: the record validator lacks keys or values", field="z"),
        ],
    ),
    "document a string": (export(table(S)), [error("push/document-type", f"table t: {DOCUMENT} string")]),
    "document a union with other members": (
        export(table(union(obj(a=S), S, NUMBER))),
        [error("push/document-type", f"table t: {DOCUMENT} number or string")],
    ),
    "document a malformed record": (
        export(table({"type": "record", "keys": S})),
        [
            error("push/malformed", "t: the record validator lacks keys or values"),
            error("push/document-type", f"table t: {DOCUMENT} record"),
        ],
    ),
    "document a malformed object": (
        export(table({"type": "object"})),
        [error("push/malformed", "t: the object validator has no proper value")],
    ),
    "document a malformed union": (
        export(table({"type": "union"})),
        [error("push/malformed", "t: the union validator has no proper value")],
    ),
    "document v.any()": (export(table(ANY, indexes=[db("i", "x.y")])), []),
    "top-level _ fields": (
        export(table(obj(_hidden=S, a=S, _y=obj(z=lit(INFINITY))))),
        [
            warning("push/system-field", f"field t._hidden: {DROPPED}", field="_hidden"),
            warning("push/system-field", f"field t._y: {DROPPED}", field="_y"),
        ],
    ),
}

# Indexes: `TryFrom<TableDefinitionJson>` and the index `TryFrom`s in crates/common/src/schemas/
# json.rs (names, counts, uniqueness), `IndexedFields::try_from` in crates/common/src/
# bootstrap_model/index/database_index/indexed_fields.rs, `FieldPath::from_str` in
# crates/value/src/field_path.rs, `VectorDimensions::try_from` in crates/common/src/
# bootstrap_model/index/vector_index/dimensions.rs (2 to 4096), `DatabaseSchema::
# check_index_references` in crates/common/src/schemas/mod.rs, `_overlaps_with_array_float64`
# in validator.rs, and `indexes_in_new_schema` in crates/database/src/bootstrap_model/index.rs.
INDEXES: dict[str, tuple[Json, list[Finding]]] = {
    "index names": (
        export(
            table(
                DOC,
                indexes=[db("by-a", "a"), db("by_id", "b"), db("by_creation_time", "s"), db("_x", "e")],
                searches=[search("by_id", "s")],
            )
        ),
        [
            error(
                "push/index-name",
                f"index t.by-a has an invalid name: it contains '-'; {IDENTIFIER}",
                index="by-a",
            ),
            error("push/reserved-index", f"index t.by_id: {RESERVED}", index="by_id"),
            error("push/reserved-index", f"index t.by_creation_time: {RESERVED}", index="by_creation_time"),
            error("push/reserved-index", f"index t._x: {RESERVED}", index="_x"),
            error("push/reserved-index", f"search index t.by_id: {RESERVED}", index="by_id"),
            error("push/duplicate-index", f"search index t.by_id {TWICE}", index="by_id"),
        ],
    ),
    "one name across kinds, staged or not": (
        export(
            table(
                DOC,
                indexes=[db("i", "a")],
                searches=[search("i", "s")],
                vectors=[vector("i", "e", 8)],
                staged=[db("i", "b")],
            )
        ),
        [  # each named as what it is: search and vector indexes are indexes too, said as such
            error("push/duplicate-index", f"index t.i {TWICE}", index="i"),
            error("push/duplicate-index", f"search index t.i {TWICE}", index="i"),
            error("push/duplicate-index", f"vector index t.i {TWICE}", index="i"),
        ],
    ),
    "65 indexes, staged ones counted": (
        export(
            table(
                MANY,
                indexes=[db(f"i{i}", f"f{i % 20}", f"f{(i % 20 + 1 + i // 20) % 20}") for i in range(60)],
                staged_searches=[search(f"s{i}", f"f{i}") for i in range(3)],
                staged_vectors=[vector("v", "f0", 8), vector("w", "f1", 8)],
            ),
            validation=False,
        ),
        [
            error(
                "push/too-many-indexes",
                "table t has 65 indexes; at most 64 are allowed (staged ones count too)",
            )
        ],
    ),
    "index fields": (
        export(
            table(
                MANY,
                indexes=[
                    db("none"),
                    db("sixteen", *[f"f{i}" for i in range(16)]),
                    db("fifteen", *[f"f{i}" for i in range(15)]),
                    db("twice", "f1", "f2", "f1", "f2", "f3"),
                ],
            )
        ),
        [
            error("push/index-no-fields", "index t.none has no fields", index="none"),
            error(
                "push/index-too-many-fields",
                "index t.sixteen has 16 fields; at most 15 are allowed "
                "(the backend appends _creationTime to every index)",
                index="sixteen",
            ),
            error(
                "push/index-repeated-field",
                "index t.twice lists f1 more than once",
                index="twice",
                field="f1",
            ),
            error(
                "push/index-repeated-field",
                "index t.twice lists f2 more than once",
                index="twice",
                field="f2",
            ),
        ],
    ),
    "system and _ fields in an index": (
        export(
            table(
                DOC,
                indexes=[db("by_time", "_creationTime"), db("by_doc", "a", "_id"), db("by_meta", "meta._x")],
                staged=[db("by_under", "_a")],
            )
        ),
        [
            error(
                "push/index-system-field",
                f"index t.by_time lists _creationTime; {SYSTEM_FIELD}",
                index="by_time",
                field="_creationTime",
            ),
            error(
                "push/index-system-field",
                f"index t.by_doc lists _id; {SYSTEM_FIELD}",
                index="by_doc",
                field="_id",
            ),
            error(
                "push/index-reserved-field",
                "index t.by_meta uses meta._x; fields starting with _ are not allowed in indexes",
                index="by_meta",
                field="meta._x",
            ),
            error(
                "push/index-reserved-field",
                "index t.by_under uses _a; fields starting with _ are not allowed in indexes",
                index="by_under",
                field="_a",
            ),
        ],
    ),
    "the same fields in order, staged or not": (
        export(
            table(
                DOC,
                indexes=[db("one", "a", "b"), db("two", "a", "b"), db("three", "b", "a")],
                staged=[db("four", "a", "b")],
            )
        ),
        [
            error("push/same-index-fields", "index t.two has the same fields as index t.one", index="two"),
            error("push/same-index-fields", "index t.four has the same fields as index t.one", index="four"),
        ],
    ),
    "paths the backend cannot read": (
        export(table(DOC, indexes=[db("i", "a..b", "b"), db("k", "."), db("l", "a-b.c"), db("m", "é")])),
        [
            error(
                "push/index-field-path",
                "field of index t.i: 'a..b' is not a field path: part '' is invalid: it is empty",
                index="i",
            ),
            error(
                "push/index-field-path", "field of index t.k: '.' is not a field path: it is empty", index="k"
            ),
            error(
                "push/index-field-path",
                "field of index t.l: 'a-b.c' is not a field path: part 'a-b' is invalid: "
                f"it contains '-'; {IDENTIFIER}",
                index="l",
            ),
            error(
                "push/index-field-path",
                "field of index t.m: 'é' is not a field path: field names hold only printable ASCII",
                index="m",
            ),
        ],
    ),
    "paths the backend trims": (
        export(table(DOC, indexes=[db("i", ".meta.x."), db("j", "a.")])),
        [
            warning(
                "push/index-field-normalized",
                "field of index t.i: the backend reads '.meta.x.' as 'meta.x' "
                "(it trims leading and trailing dots)",
                index="i",
                field="meta.x",
            ),
            warning(
                "push/index-field-normalized",
                "field of index t.j: the backend reads 'a.' as 'a' (it trims leading and trailing dots)",
                index="j",
                field="a",
            ),
        ],
    ),
    "only dots are trimmed": (export(table(DOC, indexes=[db("by_X", "X"), db("by_meta", "meta.x")])), []),
    "fields the document type lacks": (
        export(
            table(
                DOC,
                indexes=[
                    db("i", "nope"),
                    db("j", "meta.y"),
                    db("k", "o.k.deep"),
                    db("l", "an.x.y"),
                    db("m", "a.x"),
                    db("n", "u.y"),
                    db("p", "u.x"),
                ],
                searches=[search("s", "body", "nope", "meta.x"), search("s2", "gone", "gone")],
            )
        ),
        [
            error(
                "push/index-field-missing", f"index t.i uses field nope, {MISSING}", index="i", field="nope"
            ),
            error(
                "push/index-field-missing",
                f"index t.j uses field meta.y, {MISSING}",
                index="j",
                field="meta.y",
            ),
            error("push/index-field-missing", f"index t.m uses field a.x, {MISSING}", index="m", field="a.x"),
            error("push/index-field-missing", f"index t.n uses field u.y, {MISSING}", index="n", field="u.y"),
            error(
                "push/index-field-missing",
                f"search index t.s uses field body, {MISSING}",
                index="s",
                field="body",
            ),
            error(
                "push/index-field-missing",
                f"search index t.s uses field nope, {MISSING}",
                index="s",
                field="nope",
            ),
            error(
                "push/index-field-missing",
                f"search index t.s2 uses field gone, {MISSING}",
                index="s2",
                field="gone",
            ),
        ],
    ),
    "no field checks without schemaValidation": (
        export(
            table(
                DOC, indexes=[db("i", "nope")], searches=[search("s", "body")], vectors=[vector("v", "s", 8)]
            ),
            validation=False,
        ),
        [],
    ),
    "search filter fields": (
        export(
            table(
                MANY,
                searches=[
                    search("s", "f0", "f1", "f1", "f2", "f2", "f2", "f3"),
                    search("t", "f0", *[f"f{i}" for i in range(1, 18)]),
                    search("u", "f0", *[f"f{i}" for i in range(1, 17)]),
                ],
            )
        ),
        [
            warning(
                "push/filter-field-repeated",
                "search index t.s lists filter field f1, f2 more than once; the backend keeps one",
                index="s",
            ),
            error(
                "push/too-many-filter-fields",
                "search index t.t has 17 filter fields; at most 16 are allowed",
                index="t",
            ),
        ],
    ),
    "search paths the backend cannot read": (
        export(table(DOC, searches=[search("s", "a-b"), search("t", "a", "b", "c d")])),
        [
            error(
                "push/index-field-path",
                f"search field of index t.s: 'a-b' is not a field path: it contains '-'; {IDENTIFIER}",
                index="s",
            ),
            error(
                "push/index-field-path",
                f"filter field of index t.t: 'c d' is not a field path: it contains ' '; {IDENTIFIER}",
                index="t",
            ),
        ],
    ),
    "vector paths the backend cannot read": (
        export(table(DOC, vectors=[vector("v", "a-b", 8), vector("w", "e", 8, "c d")])),
        [
            error(
                "push/index-field-path",
                f"vector field of index t.v: 'a-b' is not a field path: it contains '-'; {IDENTIFIER}",
                index="v",
            ),
            error(
                "push/index-field-path",
                f"filter field of index t.w: 'c d' is not a field path: it contains ' '; {IDENTIFIER}",
                index="w",
            ),
        ],
    ),
    "the same search field and filter set": (
        export(
            table(
                DOC,
                searches=[
                    search("s1", "a", "b", "meta.x"),
                    search("s3", "a", "b"),
                    search("s4", "b", "a", "meta.x"),
                ],
                staged_searches=[search("s2", "a", "meta.x", "b")],
            )
        ),
        [
            error(
                "push/same-search-index",
                "search index t.s2 has the same search field and filter fields as search index t.s1",
                index="s2",
            )
        ],
    ),
    "vector dimensions": (
        export(
            table(
                DOC,
                vectors=[
                    vector("none", "e", None),
                    vector("zero", "e", 0),
                    vector("one", "e", 1),
                    vector("two", "e", 2),
                    vector("max", "e", 4096),
                    vector("over", "e", 4097),
                    vector("u32", "e", 2**32 - 1),
                    vector("big", "e", 2**32),
                    vector("neg", "e", -1),
                    vector("half", "e", 1.5),
                    vector("true", "e", True),
                    vector("text", "e", "8"),
                    vector("legacy", "e", 7, key="dimension"),
                ],
            )
        ),
        [
            error("push/vector-dimensions", "vector index t.none has no dimensions", index="none"),
            error(
                "push/vector-dimensions",
                "vector index t.zero has 0 dimensions; it must have 2 to 4096",
                index="zero",
            ),
            error(
                "push/vector-dimensions",
                "vector index t.one has 1 dimensions; it must have 2 to 4096",
                index="one",
            ),
            error(
                "push/vector-dimensions",
                "vector index t.over has 4097 dimensions; it must have 2 to 4096",
                index="over",
            ),
            error(
                "push/vector-dimensions",
                "vector index t.u32 has 4294967295 dimensions; it must have 2 to 4096",
                index="u32",
            ),
            error(
                "push/vector-dimensions",
                f"vector index t.big has dimensions 4294967296, {WHOLE}",
                index="big",
            ),
            error("push/vector-dimensions", f"vector index t.neg has dimensions -1, {WHOLE}", index="neg"),
            error("push/vector-dimensions", f"vector index t.half has dimensions 1.5, {WHOLE}", index="half"),
            error(
                "push/vector-dimensions", f"vector index t.true has dimensions True, {WHOLE}", index="true"
            ),
            error("push/vector-dimensions", f"vector index t.text has dimensions '8', {WHOLE}", index="text"),
        ],
    ),
    "the same vector field and dimensions, whatever the filters": (
        export(
            table(
                DOC,
                vectors=[vector("v1", "e", 8, "a"), vector("v3", "e", 16), vector("v4", "e", 8, "a", "b")],
                staged_vectors=[vector("v2", "e", 8, "b")],
            )
        ),
        [
            error(
                "push/same-vector-index",
                "vector index t.v4 indexes the same field with the same dimensions as vector index t.v1",
                index="v4",
            ),
            error(
                "push/same-vector-index",
                "vector index t.v2 indexes the same field with the same dimensions as vector index t.v1",
                index="v2",
            ),
        ],
    ),
    "vector field types": (
        export(
            table(
                DOC,
                vectors=[
                    vector("v1", "s", 8),
                    vector("v2", "an.x", 8),
                    vector("v3", "o.k", 8),
                    vector("v4", "nope", 8),
                    vector("v5", "meta.x", 8, "nope"),
                    vector("v6", "a.b", 8),
                ],
            )
        ),
        [
            error(
                "push/index-field-missing",
                f"vector index t.v4 uses field nope, {MISSING}",
                index="v4",
                field="nope",
            ),
            error(
                "push/index-field-missing",
                f"vector index t.v6 uses field a.b, {MISSING}",
                index="v6",
                field="a.b",
            ),
            error("push/vector-field-type", f"vector index t.v1 uses s, {NOT_VECTOR}", index="v1", field="s"),
            error(
                "push/vector-field-type",
                f"vector index t.v5 uses meta.x, {NOT_VECTOR}",
                index="v5",
                field="meta.x",
            ),
        ],
    ),
    "a vector field through a union, no member an array": (
        export(table(union(obj(e=S), obj(e=obj(x=S))), vectors=[vector("v", "e.x", 8)])),
        [error("push/vector-field-type", f"vector index t.v uses e.x, {NOT_VECTOR}", index="v", field="e.x")],
    ),
    "a vector field through a union, one member an array": (
        export(table(union(obj(e=S), obj(e=obj(x=arr(NUMBER)))), vectors=[vector("v", "e.x", 8)])),
        [],
    ),
    "a vector field one member lacks": (
        export(table(union(obj(e=S), obj(f=S)), vectors=[vector("v", "e", 8)])),
        [],
    ),
}


@pytest.mark.parametrize("case", list(DOCUMENTS), ids=list(DOCUMENTS))
def test_document_findings_in_full(case: str) -> None:
    schema, expected = DOCUMENTS[case]

    assert check_push_rules(schema) == expected


@pytest.mark.parametrize("case", list(INDEXES), ids=list(INDEXES))
def test_index_findings_in_full(case: str) -> None:
    schema, expected = INDEXES[case]

    assert check_push_rules(schema) == expected


def test_a_literal_that_is_not_finite() -> None:
    """A kept field's non-finite literal fails only when the schema is stored
    (`SchemaMetadata::new` in crates/common/src/schemas/mod.rs); a dropped top-level `_`
    field's is never seen (see "top-level _ fields")."""
    findings = check_push_rules(export(table(obj(x=lit(INFINITY), n=arr(union(S, lit(INFINITY)))))))

    assert [(f.code, f.table, f.field, f.index, f.severity) for f in findings] == [
        ("push/literal-not-finite", "t", "n", None, Severity.ERROR),
        ("push/literal-not-finite", "t", "x", None, Severity.ERROR),
    ]
    assert findings[1].message.startswith("t.x: v.literal(")
    assert findings[1].message.endswith(
        ") is not finite; the backend cannot store Infinity or NaN literals in a schema"
    )


# The schema as a whole: serde's `DatabaseSchemaJson` in crates/common/src/schemas/json.rs,
# serde_json's recursion limit (crates/json_trait/src/lib.rs `json_deserialize`),
# MAX_USER_TABLES in crates/database/src/bootstrap_model/table.rs and MAX_SIZE in
# crates/value/src/size.rs (a schema is stored as one string).
MALFORMED: dict[str, tuple[Json, str, str | None]] = {
    "no tables": ({"tables": {}}, "has no list of tables", None),
    "schemaValidation": (
        {"tables": [], "schemaValidation": "yes"},
        "has a schemaValidation that is not true or false",
        None,
    ),
    "a nameless table": ({"tables": [{"indexes": []}]}, "has a table without a name", None),
    "no indexes": ({"tables": [{"tableName": "t"}]}, "has no list of indexes for table t", "t"),
    "staged not a list": (
        {"tables": [{"tableName": "t", "indexes": [], "stagedVectorIndexes": {}}]},
        "has stagedVectorIndexes of table t that is not a list",
        "t",
    ),
    "an index without its keys": (
        {
            "tables": [
                {
                    "tableName": "t",
                    "indexes": [],
                    "searchIndexes": [{"indexDescriptor": "s", "searchField": "a"}],
                }
            ]
        },
        "has an entry of searchIndexes of table t without indexDescriptor, searchField, filterFields",
        "t",
    ),
    "an index that is not an object": (
        {"tables": [{"tableName": "t", "indexes": ["by_a"]}]},
        "has an entry of indexes of table t without indexDescriptor, fields",
        "t",
    ),
    "a path that is not a string": (
        export(table(DOC, indexes=[db("i", "a"), db("j", "a", 3)])),
        "has a field path in indexes of table t that is not a string",
        "t",
    ),
    "a filter path that is not a string": (
        export(table(DOC, vectors=[vector("v", "e", 8, 1)])),  # type: ignore[arg-type]
        "has a field path in vectorIndexes of table t that is not a string",
        "t",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_an_export_serde_refuses_is_malformed_and_nothing_else(case: str) -> None:
    schema, problem, table_name = MALFORMED[case]

    assert check_push_rules(schema) == [
        Finding("push/malformed", f"the schema's export() {problem}", table=table_name)
    ]


def test_lone_surrogates_are_named_once_shortened() -> None:
    text = "x\udfff" + "y" * 100
    schema = export(table(obj(**{"a\ud800": lit(text)})), table(lit(text), "u"))

    findings = [f for f in check_push_rules(schema) if f.code == "push/lone-surrogate"]

    assert findings == [
        Finding(
            "push/lone-surrogate",
            "the text 'a\\ud800' holds half of a UTF-16 surrogate pair, which the backend cannot read",
        )
    ]
    only_value = check_push_rules(export(table(obj(a=lit(text)))))
    assert only_value[0].message == (
        f"the text 'x\\udfff{'y' * 39}…{'y' * 11}' (109 characters) holds half of a UTF-16 "
        "surrogate pair, which the backend cannot read"
    )


def test_too_many_tables_and_too_large() -> None:
    schema = {"tables": [table(name=f"t{i}") for i in range(10_001)]}

    assert check_push_rules(schema, size=2**25 - 1) == [
        Finding("push/too-many-tables", "the schema has 10001 tables; a deployment holds at most 10000"),
        Finding(
            "push/schema-too-large",
            "the schema's JSON is 32.0 MiB; the backend stores a schema of at most 32 MiB",
        ),
    ]
    assert check_push_rules({"tables": [table(name=f"t{i}") for i in range(10_000)]}, size=2**25 - 2) == []


def test_too_deep_says_how_deep_and_what_nests() -> None:
    assert too_deep(130) == Finding(
        "push/too-deep",
        "the schema's JSON nests 130 levels deep; the backend reads at most 127 "
        "(each v.object adds 3 levels, v.array 1, v.union and v.record 2)",
    )


def test_the_row_of_the_report() -> None:
    """Errors fail the row, warnings alone make it a warning, with every finding kept."""
    e1, e2 = Finding("push/a", "one"), Finding("push/b", "two")
    w1 = Finding("push/c", "three", severity=Severity.WARNING)
    w2 = Finding("push/d", "four", severity=Severity.WARNING)
    fix = "Change what each finding names in convex/schema.ts; `npx convex dev` would fail to push it."
    keep = "Change convex/schema.ts so that it says what the backend will keep."

    rows = {
        "one error": push_rules_result("convex/schema.ts", [e1]),
        "errors and a warning": push_rules_result("convex/schema.ts", [w1, e1, e2]),
        "an error and warnings": push_rules_result("convex/schema.ts", [w1, e1, w2]),
        "a warning": push_rules_result("convex/schema.ts", [w1]),
        "warnings": push_rules_result("convex/schema.ts", [w1, w2]),
        "nothing": push_rules_result("convex/schema.ts", []),
    }

    assert {name: (r.name, r.status, r.message, r.hint, r.findings) for name, r in rows.items()} == {
        "one error": (
            "push rules",
            Status.FAILED,
            "1 violation the backend would reject at push",
            fix,
            (e1,),
        ),
        "errors and a warning": (
            "push rules",
            Status.FAILED,
            "2 violations the backend would reject at push (and 1 warning)",
            fix,
            (e1, e2, w1),
        ),
        "an error and warnings": (
            "push rules",
            Status.FAILED,
            "1 violation the backend would reject at push (and 2 warnings)",
            fix,
            (e1, w1, w2),
        ),
        "a warning": (
            "push rules",
            Status.WARNING,
            "the backend accepts it but changes 1 thing at push",
            keep,
            (w1,),
        ),
        "warnings": (
            "push rules",
            Status.WARNING,
            "the backend accepts it but changes 2 things at push",
            keep,
            (w1, w2),
        ),
        "nothing": ("push rules", Status.PASSED, "nothing the backend would reject at push", None, ()),
    }


def test_a_search_index_finding_names_the_index_as_plain_data() -> None:
    """The message says "search index"; the finding's index is its name alone, as JSON and a copy
    (pickled or deep-copied, as the schema cache and asdict do) keep it."""
    import copy
    import json
    import pickle

    findings = check_push_rules(export(table(DOC, searches=[search("s", "gone")])))

    assert [f.message for f in findings] == [f"search index t.s uses field gone, {MISSING}"]
    found = findings[0]
    assert json.loads(json.dumps(found.to_json()))["index"] == "s"
    assert copy.deepcopy(found) == found == pickle.loads(pickle.dumps(found))
