"""The loopback refuses at push what the backend refuses (schema_rules.py, from convex-backend's
source), with its code and text, and takes what it takes.

Most cases are schema exports written out here; one batch comes from the real ``convex``
package (``defineSchema(...).export()`` in Node), so that the JSON they assume is the JSON
the CLI sends.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import textwrap
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.loopback.client import PROJECT_ROOT, TestDeployment
from tests.loopback.schema_rules import Refusal, parse_field_path, refusal

ADMIN_KEY = f"loopback-test|{secrets.token_hex(24)}"
REQUEST_TIMEOUT = 10.0
RESERVED_TAIL = 'Indexes may not start with an underscore or be named "by_id" or "by_creation_time".'


# -- building exports ------------------------------------------------------------------


def field(validator: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    return {"fieldType": validator, "optional": optional}


def obj(**fields: dict[str, Any]) -> dict[str, Any]:
    """v.object: a value given as field(...) keeps its optionality, else it is required."""
    return {
        "type": "object",
        "value": {name: value if "fieldType" in value else field(value) for name, value in fields.items()},
    }


def union(*members: dict[str, Any]) -> dict[str, Any]:
    return {"type": "union", "value": list(members)}


STRING = {"type": "string"}
NUMBER = {"type": "number"}
ANY = {"type": "any"}


def record(values: dict[str, Any]) -> dict[str, Any]:
    return {"type": "record", "keys": STRING, "values": field(values)}


def array(element: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "value": element}


def index(name: str, *fields: str) -> dict[str, Any]:
    return {"indexDescriptor": name, "fields": list(fields)}


def search(name: str, search_field: str, *filters: str) -> dict[str, Any]:
    return {"indexDescriptor": name, "searchField": search_field, "filterFields": list(filters)}


def vector(name: str, vector_field: str, *filters: str, dimensions: int = 3) -> dict[str, Any]:
    return {
        "indexDescriptor": name,
        "vectorField": vector_field,
        "dimensions": dimensions,
        "filterFields": list(filters),
    }


def table(name: str, document: dict[str, Any] | None = None, **kinds: list[dict[str, Any]]) -> dict[str, Any]:
    """A table as defineSchema().export() writes it (every index list present)."""
    exported: dict[str, Any] = {
        "tableName": name,
        "indexes": kinds.get("indexes", []),
        "stagedDbIndexes": kinds.get("staged", []),
        "searchIndexes": kinds.get("search", []),
        "stagedSearchIndexes": kinds.get("staged_search", []),
        "vectorIndexes": kinds.get("vector", []),
        "stagedVectorIndexes": kinds.get("staged_vector", []),
    }
    if document is not None:
        exported["documentType"] = document
    return exported


def schema(*tables: dict[str, Any], validation: bool = True) -> dict[str, Any]:
    return {"tables": list(tables), "schemaValidation": validation}


USERS = obj(name=STRING, age=NUMBER)


def reserved(table_name: str, index_name: str) -> Refusal:
    message = (
        f'In table "{table_name}" cannot name an index "{index_name}" because the name is reserved. '
        + RESERVED_TAIL
    )
    return Refusal("IndexNameReserved", message)


def missing(table_name: str, index_name: str, path: str) -> Refusal:
    return Refusal(
        "SchemaDefinitionError",
        f'In table "{table_name}" the index "{index_name}" is invalid because it references the field '
        f'"{path}" that does not exist.',
    )


# -- names -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["by_id", "by_creation_time", "_private", "_"])
def test_reserved_index_names_are_refused(name: str) -> None:
    export = schema(table("users", USERS, indexes=[index("by_name", "name"), index(name, "age")]))
    found = refusal(export)
    if name == "_":  # not even an identifier: IndexDescriptor::new refuses it first
        assert found == Refusal(
            "InvalidIndexName",
            'In table "users": Invalid index name: "_". Identifiers must be 64 characters or less, '
            "start with a letter, and only contain letters, digits, underscores.",
        )
    else:
        assert found == reserved("users", name)


@pytest.mark.parametrize("name", ["by_idx", "by_id_and_name", "id", "by_creation_time2", "_fivetran_synced"])
def test_names_that_only_look_reserved_pass(name: str) -> None:
    assert refusal(schema(table("users", USERS, indexes=[index(name, "age")]))) is None


def test_a_reserved_table_name_is_refused() -> None:
    export = schema(table("users", USERS), table("_secrets", obj(v=STRING)))
    assert refusal(export) == Refusal("TableNameReserved", "_secrets is a reserved table name.")


def test_an_index_name_used_twice_is_refused_across_kinds() -> None:
    twice = table("users", USERS, indexes=[index("by_name", "name"), index("by_name", "age")])
    assert refusal(schema(twice)) == Refusal(
        "IndexNamesNotUnique", 'Table "users" has two or more definitions of index "by_name".'
    )
    docs = obj(body=STRING)
    shared = table("docs", docs, indexes=[index("body_idx", "body")], search=[search("body_idx", "body")])
    assert refusal(schema(shared)) == Refusal(
        "IndexNamesNotUnique", 'Table "docs" has two or more definitions of index "body_idx".'
    )


def test_names_are_checked_in_the_backends_order_first_error_winning() -> None:
    # Each name is checked, then compared with the earlier ones (json.rs).
    first_reserved = table(
        "users", USERS, indexes=[index("by_id", "age"), index("a", "name"), index("a", "x")]
    )
    assert refusal(schema(first_reserved)) == reserved("users", "by_id")
    first_twice = table("users", USERS, indexes=[index("a", "name"), index("a", "x"), index("by_id", "age")])
    assert refusal(schema(first_twice)).code == "IndexNamesNotUnique"  # type: ignore[union-attr]
    # Staged vector index names come before vector index names.
    vectors = table(
        "items",
        obj(e=array(NUMBER)),
        vector=[vector("by_id", "e")],
        staged_vector=[vector("_staged", "e", dimensions=4)],
    )
    assert refusal(schema(vectors)) == reserved("items", "_staged")
    # Tables in export order for the names (this pass), whatever their names.
    assert refusal(schema(table("zebra", USERS, indexes=[index("by_id", "age")]), table("apple", USERS))) == (
        reserved("zebra", "by_id")
    )


def test_index_name_checks_come_before_field_checks_in_any_table() -> None:
    export = schema(
        table("apple", USERS, indexes=[index("by_missing", "missing")]),
        table("zebra", USERS, indexes=[index("by_id", "age")]),
    )
    assert refusal(export) == reserved("zebra", "by_id")


# -- fields ----------------------------------------------------------------------------


def test_an_index_field_that_does_not_exist_is_refused() -> None:
    export = schema(
        table("users", USERS, indexes=[index("by_name", "name"), index("by_email", "name", "email")])
    )
    assert refusal(export) == missing("users", "by_email", "email")


def test_nested_union_and_optional_fields_resolve_as_the_backend_resolves_them() -> None:
    document = union(
        obj(kind=STRING, profile=obj(bio=field(STRING, optional=True), links=field(obj(site=STRING), True))),
        obj(kind=STRING, company=field(obj(name=STRING), optional=True), extra=ANY, tags=record(STRING)),
    )
    found = [
        "kind",
        "profile",
        "profile.bio",
        "profile.links.site",
        "company.name",  # only in the second member, and optional there
        "extra.anything.below",  # v.any() holds every path
        "tags",
    ]
    for path in found:
        assert refusal(schema(table("people", document, indexes=[index("by_it", path)]))) is None, path
    for path in ["profile.age", "profile.bio.text", "company.name.first", "tags.key", "nope", "links.site"]:
        export = schema(table("people", document, indexes=[index("by_it", path)]))
        assert refusal(export) == missing("people", "by_it", path), path
    # A lone system field always exists (only a search index can name one: see below).
    assert refusal(schema(table("people", document, search=[search("s", "_creationTime")]))) is None


def test_without_schema_validation_fields_are_not_checked_but_names_are() -> None:
    loose = table("users", USERS, indexes=[index("by_email", "email")])
    assert refusal(schema(loose, validation=False)) is None
    assert refusal({"tables": [loose]}) is None  # absent schemaValidation: false, as in serde
    reserved_loose = table("users", USERS, indexes=[index("by_id", "email")])
    assert refusal(schema(reserved_loose, validation=False)) == reserved("users", "by_id")


def test_a_table_without_a_validator_or_with_v_any_takes_any_field() -> None:
    assert refusal(schema(table("loose", None, indexes=[index("by_x", "x.y")]))) is None
    assert refusal(schema(table("loose", ANY, indexes=[index("by_x", "x.y")]))) is None


def test_search_fields_and_filter_fields_are_checked_vector_filter_fields_are_not() -> None:
    docs = obj(body=STRING, channel=STRING, embedding=array(NUMBER))
    assert refusal(schema(table("docs", docs, search=[search("s", "body", "channel")]))) is None
    assert refusal(schema(table("docs", docs, search=[search("s", "text")]))) == missing("docs", "s", "text")
    assert refusal(schema(table("docs", docs, search=[search("s", "body", "zone", "area")]))) == missing(
        "docs",
        "s",
        "area",  # a BTreeSet: filter fields in sorted order
    )
    assert refusal(schema(table("docs", docs, vector=[vector("v", "embedding", "nowhere")]))) is None
    assert refusal(schema(table("docs", docs, vector=[vector("v", "nowhere")]))) == missing(
        "docs", "v", "nowhere"
    )
    assert refusal(schema(table("docs", docs, vector=[vector("v", "body")]))) == Refusal(
        "SchemaDefinitionError",
        'In table "docs" the vector index "v" is invalid because it references the field "body" that is '
        "neither an array of float64 or optional array of float64.",
    )


def test_field_checks_go_through_tables_by_name_then_index_kinds_in_order() -> None:
    export = schema(
        table("zebra", USERS, indexes=[index("by_z", "z")]),
        table(
            "apple", USERS, search=[search("s", "nope")], indexes=[index("by_b", "name"), index("by_a", "a")]
        ),
    )
    assert refusal(export) == missing("apple", "by_a", "a")


def test_system_fields_and_malformed_index_fields() -> None:
    def one(*fields: str) -> dict[str, Any]:
        return schema(table("users", USERS, indexes=[index("by_x", *fields)]))

    assert refusal(one("_creationTime")) == Refusal(
        "IndexFieldsContainCreationTime",
        "`_creationTime` is automatically added to the end of each index. It should not be added "
        "explicitly in the index definition. See https://docs.convex.dev/using/indexes for more details.",
    )
    assert refusal(one("name", "_id")) == Refusal(
        "IndexFieldsContainId",
        'In table "users": In index "by_x": `_id` is not a valid index field. To load documents by ID, '
        "use `db.get(id)`.",
    )
    assert refusal(one("name._secret")) == Refusal(
        "IndexFieldNameReserved", "Reserved fields (starting with `_`) are not allowed in indexes."
    )
    assert refusal(one("name", "name")) == Refusal(
        "FieldsNotUniqueWithinIndex",
        'In table "users": In index "by_x": Duplicate field "name". '
        "Index fields must be unique within an index.",
    )
    assert refusal(one("na-me")) == Refusal(
        "InvalidIndexField", 'In table "users": In index "by_x": Invalid index field: "na-me"'
    )
    assert refusal(one()) == Refusal(
        "EmptyIndex", 'In table "users" index "by_x" must have at least one field.'
    )
    assert parse_field_path(".name.") == ("name",)  # FieldPath::from_str trims dots


def test_indexes_on_the_same_fields_are_refused() -> None:
    export = schema(table("users", USERS, indexes=[index("by_name", "name"), index("by_name2", "name")]))
    assert refusal(export) == Refusal(
        "IndexNotUnique",
        'In table "users" index "by_name2" and index "by_name" have the same fields. '
        "Indexes must be unique within a table.",
    )
    docs = obj(body=STRING)
    twin = table("docs", docs, search=[search("a", "body"), search("b", "body")])
    found = refusal(schema(twin))
    assert found is not None and found.code == "SearchIndexFieldNotUnique"
    # The Rust literal breaks its line before "indexes", indentation and all.
    assert "You should combine the\n             indexes with the same `searchField`" in found.message


def test_the_projects_own_schema_passes() -> None:
    # What `defineSchema` in convex/schema.ts exports, abridged to two of its tables.
    users = obj(wallet_address=STRING, username=STRING, bio=field(STRING, optional=True), created_at=NUMBER)
    messages = obj(
        user_id=field({"type": "id", "tableName": "users"}, True), content=STRING, created_at=NUMBER
    )
    export = schema(
        table("users", users, indexes=[index("by_wallet", "wallet_address")]),
        table("messages", messages, indexes=[index("by_created", "created_at")]),
    )
    assert refusal(export) is None


# -- exports from the real convex package ------------------------------------------------

REAL_SCHEMAS = {
    "ok": """defineSchema({
        people: defineTable(v.union(
            v.object({ kind: v.literal("a"), profile: v.object({ bio: v.optional(v.string()) }) }),
            v.object({ kind: v.literal("b"), company: v.optional(v.object({ name: v.string() })) }),
        )).index("by_bio", ["profile.bio"]).index("by_company", ["company.name"])
          .index("_fivetran_synced", ["kind"]).searchIndex("search_bio", { searchField: "profile.bio" }),
    })""",
    "reserved": """defineSchema({
        users: defineTable({ name: v.string() }).index("by_id", ["name"]),
    })""",
    "missing": """defineSchema({
        users: defineTable({ name: v.string() }).index("by_email", ["email" as any]),
    })""",
    "unvalidated": """defineSchema({
        users: defineTable({ name: v.string() }).index("by_email", ["email" as any]),
    }, { schemaValidation: false })""",
    "twice": """defineSchema({
        users: defineTable({ name: v.string(), age: v.number() })
          .index("by_name", ["name"]).index("by_name", { fields: ["age"], staged: true }),
    })""",
}


def real_exports(tmp_path: Path) -> dict[str, Any]:
    """Each of REAL_SCHEMAS as the real convex package exports it (one Node process)."""
    node = shutil.which("node")
    assert node, "node must be on PATH"
    body = ",\n".join(
        f"{json.dumps(name)}: JSON.parse(({source.replace(' as any', '')}).export())"
        for name, source in REAL_SCHEMAS.items()
    )
    script = tmp_path / "exports.mjs"
    script.write_text(
        'import { defineSchema, defineTable } from "convex/server";\n'
        'import { v } from "convex/values";\n'
        f"console.log(JSON.stringify({{{body}}}));\n",
        encoding="utf-8",
    )
    (tmp_path / "node_modules").symlink_to(PROJECT_ROOT / "node_modules", target_is_directory=True)
    done = subprocess.run(
        [node, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    exports: dict[str, Any] = json.loads(done.stdout)
    return exports


def test_exports_of_the_real_convex_package_are_judged_as_the_backend_judges_them(tmp_path: Path) -> None:
    exports = real_exports(tmp_path)
    assert refusal(exports["ok"]) is None
    assert refusal(exports["reserved"]) == reserved("users", "by_id")
    assert refusal(exports["missing"]) == missing("users", "by_email", "email")
    assert refusal(exports["unvalidated"]) is None
    assert refusal(exports["twice"]) == Refusal(
        "IndexNamesNotUnique", 'Table "users" has two or more definitions of index "by_name".'
    )


# -- on the wire -----------------------------------------------------------------------


@pytest.fixture
def deployment(test_deployment: TestDeployment) -> TestDeployment:
    test_deployment.set_info(admin_key=ADMIN_KEY)
    return test_deployment


def post(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Convex {ADMIN_KEY}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def push_body(export: dict[str, Any]) -> dict[str, Any]:
    # A bundle whose default export exports this JSON, as the backend evaluates one.
    source = textwrap.dedent(
        f"""\
        export default {{ tables: {{}}, export: () => {json.dumps(json.dumps(export))} }};
        """
    )
    app = {
        "changedModules": [],
        "unchangedModuleHashes": [],
        "schema": {"path": "schema.js", "source": source, "environment": "isolate"},
    }
    return {"adminKey": ADMIN_KEY, "appDefinition": app, "dryRun": False, "functions": "convex/"}


def test_start_push_answers_the_backends_400_and_pushes_nothing(deployment: TestDeployment) -> None:
    export = schema(table("users", USERS, indexes=[index("by_id", "name")]))
    status, body = post(f"{deployment.url}/api/deploy2/start_push", push_body(export))
    assert status == 400
    assert body == {
        "code": "IndexNameReserved",
        "message": "Hit an error while pushing:\nHit an error while evaluating your schema:\n"
        'In table "users" cannot name an index "by_id" because the name is reserved. ' + RESERVED_TAIL,
    }
    start = [r for r in deployment.requests() if r.path == "/api/deploy2/start_push"]
    assert [r.body["schema"] for r in start] == [True]
    assert deployment.pushed()["pushes"] == 0 and deployment.pushed()["schema"] is None

    missing_field = schema(table("users", USERS, indexes=[index("by_email", "email")]))
    status, body = post(f"{deployment.url}/api/deploy2/evaluate_schema", push_body(missing_field))
    assert (status, body["code"]) == (400, "SchemaDefinitionError")
    assert body["message"].startswith('Hit an error while evaluating your schema:\nIn table "users"')

    # A schema the backend takes is taken, and start_push carries the environment variables.
    deployment.set_env("GREETING", "hello")
    status, body = post(f"{deployment.url}/api/deploy2/start_push", push_body(schema(table("users", USERS))))
    assert status == 200, body
    assert body["environmentVariables"] == {"GREETING": "hello"}
