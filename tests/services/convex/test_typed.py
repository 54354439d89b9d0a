"""`parse_document` and the typed calls at run time (cli/services/convex/typed/): documents as
the official client returns them become their classes; what does not fit is named by its path."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from convex import ConvexInt64

from tests.loopback.client import TestDeployment
from tests.loopback.real_clients import run_python_child
from tests.support.project import REPO, schema_export

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
