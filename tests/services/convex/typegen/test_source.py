"""Typed Python documents and calls, generated offline from the schema and the public
functions: every validator kind, formatted and linted as ruff does, checked by mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cli.services.convex.typegen.files import documents_text
from cli.services.convex.typegen.formatter import format_sources
from cli.services.convex.typegen.generator import Generator
from cli.services.convex.typegen.source import functions_source
from tests.support.project import REPO, schema_export

MODELS = Path("cli/services/convex/models")


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
        "    maybe: str | Unset = UNSET",
        "    tags: list[str]",
        "    counts: dict[str, float]",
        "    owners: dict[UsersId, bool]",
        "    profile: UsersDocProfile",
        "    links: list[UsersDocProfileLinksItem] | Unset = UNSET",
        "    owner: UsersId | Unset = UNSET",
        "    file: SystemStorageId | Unset = UNSET",
        "    mixed: str | float | None",
        "    class_: str",
        "    _id: UsersId | None = None",
        "    _creationTime: float | None = None",
        'UsersId = NewType("UsersId", str)',
        "class EventsDoc1(EventsDoc):",
        "class EventsDoc2(EventsDoc):",
        '    type_: Literal["a"]',
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
    raw = functions_source(FUNCTIONS, Generator([], ids=ids), "convex/x.ts")
    source = format_sources({"functions.py": raw}, timeout=30)["functions.py"]

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

    assert documents_text(schema_export(REPO), "convex/schema.ts", timeout=30) == committed
    assert committed.startswith("# Generated by `app convex codegen`")
    assert source != committed  # the comparison can tell two schemas apart


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


@pytest.mark.parametrize(
    ("value", "annotation"),
    [
        (3.0, "Literal[3]"),
        (-1.0, "Literal[-1]"),
        (0.0, "Literal[0]"),
        (-0.0, "float"),
        (1.5, "float"),
        (7, "Literal[7]"),
        (2.0**70, "float"),  # mypy holds Literal ints in 64 bits
        (-(2**63), "int"),  # mypy reads it as -(2**63), which overflows
        (2**63 - 1, "Literal[9223372036854775807]"),
    ],
)
def test_number_literals_are_literal_types_where_python_has_one(value: float, annotation: str) -> None:
    from cli.services.convex.schema.validators import Literal

    assert Generator([]).type_of(Literal(value), "Owner", "t.f")[0].text() == annotation
