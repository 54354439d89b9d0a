"""`app convex codegen`: typed Python documents and calls, generated offline from the schema and
the public functions, checked by mypy --strict, held to what the official client returns."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from convex import ConvexInt64

from cli.services.convex.typegen.generator import Generator
from cli.services.convex.typegen.source import documents_source, functions_source
from tests.support.deployment_client import TestDeployment
from tests.support.project import OUTPUT_SCHEMA, REPO, project_schema, run_app, schema_export, write_schema
from tests.support.real_clients import run_python_child

MODELS = Path("cli/services/convex/models")
EVERY_KIND = """\
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  users: defineTable({
    name: v.string(), age: v.number(), big: v.int64(), ok: v.boolean(), nothing: v.null(), raw: v.bytes(),
    anything: v.any(), kind: v.union(v.literal("a"), v.literal("b")), score: v.literal(3),
    half: v.literal(1.5), huge: v.literal(5n), yes: v.literal(true), maybe: v.optional(v.string()),
    tags: v.array(v.string()), counts: v.record(v.string(), v.number()),
    owners: v.record(v.id("users"), v.boolean()),
    profile: v.object({ bio: v.string(), links: v.optional(v.array(v.object({ url: v.string() }))) }),
    owner: v.optional(v.id("users")), file: v.optional(v.id("_storage")),
    mixed: v.union(v.string(), v.number(), v.null()), class: v.string(), _hidden: v.string(),
  }),
  events: defineTable(v.union(
    v.object({ type: v.literal("a"), x: v.number() }), v.object({ type: v.literal("b"), y: v.string() }),
  )),
  blobs: defineTable(v.any()),
});
"""


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ModuleType]:
    """The documents module generated for a schema with every validator kind, imported."""
    from tests.support.project import copy_project

    project = copy_project(tmp_path_factory.mktemp("kinds") / "project")
    write_schema(project, EVERY_KIND)
    source = documents_source(schema_export(project), "convex/schema.ts", Generator([]))
    path = project / "kinds_documents.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("kinds_documents", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kinds_documents"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return source, module


@pytest.mark.parametrize(
    "line",
    [
        "    name: str",
        "    age: float",
        "    big: int",
        "    ok: bool",
        "    nothing: None",
        "    raw: bytes",
        "    anything: Any",
        '    kind: Literal["a", "b"]',
        "    score: Literal[3]",
        "    half: float",  # Python has no float literal types
        "    huge: Literal[5]",
        "    yes: Literal[True]",
        "    maybe: str | None = None",
        "    tags: list[str]",
        "    counts: dict[str, float]",
        "    owners: dict[UsersId, bool]",
        "    profile: UsersDocProfile",
        "    links: list[UsersDocProfileLinksItem] | None = None",
        "    owner: UsersId | None = None",
        "    file: SystemStorageId | None = None",
        "    mixed: str | float | None",
        "    class_: str",
        "    _id: UsersId | None = None",
        "    _creationTime: float | None = None",
        'UsersId = NewType("UsersId", str)',
        "class EventsDoc1(EventsDoc):",
        "class EventsDoc2(EventsDoc):",
        '    type: Literal["a"]',
        "    fields: dict[str, Any] = field(default_factory=dict)",
    ],
)
def test_every_validator_kind_maps_to_its_python_type(every_kind: tuple[str, ModuleType], line: str) -> None:
    source, _ = every_kind
    assert line in source.splitlines(), source


def test_classes_are_keyword_dataclasses_of_the_user_fields_alone(every_kind: tuple[str, ModuleType]) -> None:
    source, module = every_kind
    assert "_hidden" not in source  # the backend drops top-level _ fields
    doc = module.UsersDoc(
        name="n", age=1.0, big=2, ok=True, nothing=None, raw=b"", anything=[], kind="a", score=3, half=1.5,
        huge=5, yes=True, tags=[], counts={}, owners={}, profile=module.UsersDocProfile(bio="b"),
        mixed=None, class_="c",
    )  # fmt: skip
    assert doc._id is None and doc._creationTime is None  # new documents have no system fields
    tables = {"users": module.UsersDoc, "events": module.EventsDoc, "blobs": module.BlobsDoc}
    assert tables == module.TABLES
    with pytest.raises(TypeError):
        module.UsersDoc("n")  # keyword arguments only


def ruff_problems(source: str, folder: Path) -> str:
    """What `ruff format --check` and `ruff check` say of `source` as a file of the models
    package, under the project's own ruff settings; empty when both are content."""
    import shutil

    shutil.copy(REPO / "pyproject.toml", folder / "pyproject.toml")
    path = folder / MODELS / "probe.py"
    path.parent.mkdir(parents=True)
    path.write_text(source)
    ruff = str(Path(sys.executable).parent / "ruff")
    said = ""
    for argv in ([ruff, "format", "--check", "--diff", str(path)], [ruff, "check", str(path)]):
        done = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=60)
        said += "" if done.returncode == 0 else done.stdout + done.stderr
    return said


def test_generated_documents_are_formatted_and_linted(
    every_kind: tuple[str, ModuleType], tmp_path: Path
) -> None:
    source, _ = every_kind
    assert ruff_problems(source, tmp_path) == ""


def _function(
    path: str, kind: str, args: dict[str, Any] | None, returns: dict[str, Any] | None
) -> dict[str, Any]:
    return {"path": path, "module": "convex/x.ts", "kind": kind, "args": args, "returns": returns}


def _object(**fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "value": {name: {"fieldType": v, "optional": False} for name, v in fields.items()},
    }


LITERALS = {"type": "union", "value": [{"type": "literal", "value": f"choice_number_{i}"} for i in range(12)]}
FUNCTIONS = [
    _function("health:ping", "query", _object(), _object(status={"type": "literal", "value": "ok"})),
    _function("loose:anything", "mutation", {"type": "any"}, None),
    _function(
        "markets/liquidations:recordTheLiquidationOfAPositionWithEveryDetail",
        "action",
        _object(**{f"a_rather_long_argument_name_{i}": {"type": "bigint"} for i in range(6)}),
        {"type": "array", "value": LITERALS},
    ),
    _function(
        "users:byId",
        "query",
        _object(**{t: {"type": "id", "tableName": t} for t in ("users", "ab10", "ab2", "a_b", "abc")}),
        {"type": "null"},
    ),
    _function("users_by:id", "query", _object(), None),  # the same Python name as users:byId's... nearly
    _function("users/by:id", "query", _object(), None),  # ...and this one exactly
]


def test_generated_calls_are_formatted_and_linted_however_long(tmp_path: Path) -> None:
    ids = {
        "users": "UsersId",
        "ab10": "Ab10Id",
        "ab2": "Ab2Id",
        "a_b": "A_bId",
        "abc": "ABcId",
    }  # sort as isort does
    source = functions_source(FUNCTIONS, Generator([], ids=ids), "convex/x.ts")

    assert ruff_problems(source, tmp_path) == "", source
    for name in (
        "health_ping(",
        "loose_anything(",
        "markets_liquidations_recordTheLiquidation",
        "users_by_id(",
    ):
        assert f"def {name}" in source
    assert "def users_by_id2(" in source and '"users/by:id"' in source  # no call hides another


def test_the_committed_documents_are_what_the_schema_gives(every_kind: tuple[str, ModuleType]) -> None:
    source, _ = every_kind
    committed = (REPO / MODELS / "documents.py").read_text()

    assert documents_source(schema_export(REPO), "convex/schema.ts", Generator([])) == committed
    assert committed.startswith("# Generated by `app convex codegen`")
    assert source != committed  # the comparison can tell two schemas apart


# -- parse_document --------------------------------------------------------------------------

VALID_USER: dict[str, Any] = {  # as the client returns it: int64s as ConvexInt64
    "_id": "k57abc", "_creationTime": 1700000000000.5, "name": "n", "age": 30.0, "big": ConvexInt64(2**40),
    "ok": False, "nothing": None, "raw": b"\x00\xff", "anything": {"x": [1, "y"]}, "kind": "b", "score": 3.0,
    "half": 1.5, "huge": ConvexInt64(5), "yes": True, "tags": ["t"], "counts": {"a": 1.5},
    "owners": {"k57abc": True}, "profile": {"bio": "b", "links": [{"url": "https://example.com"}]},
    "mixed": 2.5, "class": "c",
}  # fmt: skip


def test_parse_document_makes_the_classes(every_kind: tuple[str, ModuleType]) -> None:
    _, module = every_kind

    doc = module.parse_document("users", VALID_USER)

    assert isinstance(doc, module.UsersDoc) and doc.class_ == "c" and doc._id == "k57abc"
    assert (doc.big, doc.huge) == (2**40, 5) and type(doc.big) is int  # ConvexInt64 unwrapped
    assert module.parse_document("users", {**VALID_USER, "big": 7}).big == 7  # as Python code writes one
    assert doc.profile.links[0].url == "https://example.com"
    assert isinstance(module.parse_document("events", {"type": "b", "y": "s"}), module.EventsDoc2)
    assert module.parse_document("blobs", {"_id": "x", "anything": 1}).fields == {"anything": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tags": ["t", 5]}, "users.tags[1]: expected v.string(), got 5"),
        ({"kind": "c"}, 'users.kind: expected v.union(v.literal("a"), v.literal("b")), got \'c\''),
        ({"big": 1.5}, "users.big: expected v.int64(), got 1.5"),
        ({"big": 2**63}, "users.big: expected v.int64(), got 9223372036854775808"),
        ({"age": ConvexInt64(3)}, "users.age: expected v.number(), got ConvexInt64(3)"),
        ({"huge": ConvexInt64(6)}, "users.huge: expected v.literal(5n), got ConvexInt64(6)"),
        ({"ok": 1}, "users.ok: expected v.boolean(), got 1"),
        ({"profile": {"bio": 3}}, "users.profile.bio: expected v.string(), got 3"),
        ({"profile": {"links": []}}, "users.profile.bio: missing (the field is required)"),
        ({"name": None}, "users.name: expected v.string(), got None"),
        ({"extra": 1}, "users.extra: not a field here"),
        ({"counts": {"a": "x"}}, "users.counts['a']: expected v.number(), got 'x'"),
    ],
)
def test_wrong_values_are_rejected_with_their_path(
    every_kind: tuple[str, ModuleType], change: dict[str, Any], message: str
) -> None:
    _, module = every_kind
    value = {**VALID_USER, **change}

    with pytest.raises(ValueError) as raised:
        module.parse_document("users", value)

    assert str(raised.value) == message


def test_a_missing_required_field_is_named(every_kind: tuple[str, ModuleType]) -> None:
    _, module = every_kind
    value = {k: v for k, v in VALID_USER.items() if k != "name"}

    with pytest.raises(ValueError, match=r"^users\.name: missing \(the field is required\)$"):
        module.parse_document("users", value)


# -- with the official client ----------------------------------------------------------------


def test_documents_the_official_client_wrote_and_read_back_parse(
    every_kind: tuple[str, ModuleType], test_deployment: TestDeployment, tmp_path: Path
) -> None:
    source, _ = every_kind
    (tmp_path / "kinds_documents.py").write_text(source)
    test_deployment.add_insert_mutation("users:insert", "users")
    test_deployment.add_list_query("users:list", "users")
    code = f"""
        import json, sys
        sys.path.insert(0, {str(tmp_path)!r})
        from convex import ConvexClient, ConvexInt64
        from kinds_documents import UsersDoc, parse_document
        client = ConvexClient({test_deployment.url!r})
        client.mutation("users:insert", {{
            "name": "n", "age": 30.0, "big": ConvexInt64(2**40), "ok": False, "nothing": None,
            "raw": b"\\x00\\xff", "anything": {{"x": [1.0, "y"]}}, "kind": "b", "score": 3.0, "half": 1.5,
            "huge": ConvexInt64(5), "yes": True, "tags": ["t"], "counts": {{"a": 1.5}}, "owners": {{}},
            "profile": {{"bio": "b", "links": [{{"url": "u"}}]}}, "mixed": None, "class": "c",
        }})
        documents = client.query("users:list")
        parsed = [parse_document("users", document) for document in documents]
        print("RESULT " + json.dumps({{"classes": [type(d).__name__ for d in parsed],
            "big": parsed[0].big, "raw": list(parsed[0].raw), "id": parsed[0]._id is not None}}))
    """
    completed = run_python_child(textwrap.dedent(code), timeout=30)

    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1].removeprefix("RESULT "))
    assert result == {"classes": ["UsersDoc"], "big": 2**40, "raw": [0, 255], "id": True}


def test_the_typed_call_of_health_ping(test_deployment: TestDeployment) -> None:
    test_deployment.set_schema(json.dumps(schema_export(REPO)))
    code = f"""
        import json
        from convex import ConvexClient
        from cli.services.convex.models.functions import health_ping
        result = health_ping(ConvexClient({test_deployment.url!r}))
        print("RESULT " + json.dumps({{"class": type(result).__name__, "status": result.status}}))
    """
    completed = run_python_child(textwrap.dedent(code), timeout=30)

    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    assert completed.stdout.strip().splitlines()[-1] == 'RESULT {"class": "HealthPingResult", "status": "ok"}'


# -- mypy --strict ---------------------------------------------------------------------------

RIGHT = """\
from typing import Literal

from convex import ConvexClient

from cli.services.convex.models.documents import MessagesDoc, UsersDoc, UsersId, parse_document
from cli.services.convex.models.functions import health_ping

new = MessagesDoc(content="hi", message_type="chat", created_at=1.0, user_id=UsersId("k1"))
read: UsersDoc = parse_document("users", {})
name: str = read.username
status: Literal["ok"] = health_ping(ConvexClient("https://example.convex.cloud")).status
"""
WRONG = {
    "literal": 'MessagesDoc(content="hi", message_type="spam", created_at=1.0)\n',
    "missing": 'MessagesDoc(message_type="chat", created_at=1.0)\n',
    "type": 'MessagesDoc(content="hi", message_type="chat", created_at="now")\n',
}


FLAGGED = {
    "literal": 'Argument "message_type" to "MessagesDoc" has incompatible type',
    "missing": 'Missing named argument "content" for "MessagesDoc"',
    "type": 'Argument "created_at" to "MessagesDoc" has incompatible type "str"',
}


def test_mypy_strict_accepts_right_uses_and_flags_wrong_ones(tmp_path: Path) -> None:
    # One mypy run for every sample: its start-up is most of its time.
    (tmp_path / "right.py").write_text(RIGHT)
    for name, line in WRONG.items():
        (tmp_path / f"wrong_{name}.py").write_text(
            f"from cli.services.convex.models.documents import MessagesDoc\n{line}"
        )
    argv = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        *sorted(map(str, tmp_path.glob("*.py"))),
    ]
    env = {**os.environ, "MYPYPATH": str(REPO)}

    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=180, env=env)

    assert result.returncode == 1, result.stdout + result.stderr  # 2 would be mypy failing to run
    errors: dict[str, list[str]] = {"right": [], **{name: [] for name in WRONG}}
    for line in result.stdout.splitlines():
        file, _, rest = line.partition(":")
        if ": error:" in rest:
            errors[Path(file).stem.removeprefix("wrong_")].append(rest)
    assert errors["right"] == []
    for name, error in FLAGGED.items():
        assert len(errors[name]) == 1 and error in errors[name][0], errors


# -- the command and the check ---------------------------------------------------------------


def test_a_schema_change_without_codegen_fails_the_check_and_codegen_check(project: Path) -> None:
    bio = "    bio: v.optional(v.string()),\n"
    write_schema(project, project_schema().replace(bio, bio + "    avatar: v.optional(v.string()),\n"))
    documents = project / MODELS / "documents.py"
    before = documents.read_bytes()

    check = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)
    stale = run_app("convex", "codegen", "--check", "--json", cwd=project)

    assert check.returncode == 1
    models = {c["name"]: c for c in check.json()["checks"]}["models"]
    assert models["status"] == "failed" and models["findings"][0]["code"] == "models/stale"
    assert "app convex codegen" in models["hint"]
    assert stale.returncode == 1
    jsonschema.validate(stale.json(), OUTPUT_SCHEMA)
    assert documents.read_bytes() == before  # --check writes nothing

    written = run_app("convex", "codegen", cwd=project)
    again = run_app("convex", "codegen", cwd=project)

    assert written.returncode == 0 and "wrote cli/services/convex/models/documents.py" in written.stdout
    assert "    avatar: str | None = None" in documents.read_text()
    assert again.returncode == 0 and "is current" in again.stdout  # a second run changes no byte
    assert run_app("convex", "check", "--no-typecheck", cwd=project).returncode == 0


def test_a_schema_that_does_not_evaluate_writes_nothing_and_says_where(project: Path) -> None:
    write_schema(project, project_schema() + "export const broken = ;\n")
    documents = project / MODELS / "documents.py"
    before = documents.read_bytes()

    result = run_app("convex", "codegen", cwd=project)

    assert result.returncode == 1, result.output
    assert "✘ schema     convex/schema.ts:" in result.stdout and 'Unexpected ";"' in result.stdout
    assert "→ Fix convex/schema.ts, then run codegen again" in result.stdout
    assert "Traceback" not in result.output
    assert documents.read_bytes() == before


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("a file in the folder's place", "cli/services/convex/models is not a folder"),
        ("a symlink loop in the folder's place", "cli/services/convex/models is not a folder"),
    ],
)
def test_models_that_cannot_be_written_are_named_and_nothing_is_lost(
    project: Path, where: str, reason: str
) -> None:
    bio = "    bio: v.optional(v.string()),\n"
    write_schema(project, project_schema().replace(bio, bio + "    avatar: v.optional(v.string()),\n"))
    folder = project / MODELS
    shutil.rmtree(folder)
    if where.startswith("a file"):
        folder.write_text("not a folder\n")
    else:
        folder.symlink_to(folder.name)

    result = run_app("convex", "codegen", cwd=project)

    assert result.returncode == 1, result.output
    assert f"cli/services/convex/models/documents.py could not be written: {reason}" in result.stdout
    assert "Make cli/services/convex/models/ a folder you can write to" in result.stdout
    assert "Traceback" not in result.output and "unexpectedly" not in result.output
    assert folder.is_symlink() or folder.read_text() == "not a folder\n"  # left as it was
    assert not [p for p in project.rglob("*.tmp") if not p.is_symlink()]


def test_check_and_ping_do_not_import_the_models_or_pydantic(project: Path) -> None:
    for args in (
        ["--help"],
        ["convex", "check", "--no-typecheck"],
        ["convex", "ping", "--url", "http://127.0.0.1:9"],
    ):
        argv = [sys.executable, "-P", "-X", "importtime", "-m", "cli", *args]
        result = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=60)
        imported = result.stderr
        assert "cli.services.convex.models" not in imported, args
        assert "pydantic" not in imported, args
