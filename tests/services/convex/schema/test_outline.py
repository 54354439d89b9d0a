"""What changed between two schemas or two sets of models, in one line."""

from __future__ import annotations

from pathlib import Path

from cli.services.convex.schema.outline import Outline, describe, from_export, from_models
from cli.services.convex.typegen.files import models_files
from tests.support.project import REPO, schema_export


def table(name: str, fields: dict[str, object], indexes: list[str] = ()) -> dict[str, object]:  # type: ignore[assignment]
    return {
        "tableName": name,
        "documentType": {
            "type": "object",
            "value": {k: {"fieldType": v, "optional": False} for k, v in fields.items()},
        },
        "indexes": [{"indexDescriptor": i, "fields": ["a"]} for i in indexes],
    }


def test_tables_fields_and_indexes_added_removed_and_changed() -> None:
    old = from_export(
        {"tables": [table("users", {"a": {"type": "string"}, "b": {"type": "number"}}), table("gone", {})]}
    )
    new = from_export(
        {
            "tables": [
                table("users", {"a": {"type": "number"}, "c": {"type": "string"}}, ["by_a"]),
                table("audit", {}),
            ]
        }
    )

    assert (
        describe(old, new) == "tables +audit, -gone; fields +users.c, -users.b, ~users.a; indexes +users.by_a"
    )
    assert describe(new, new) == ""


def test_a_long_list_is_cut() -> None:
    new = Outline({f"t{i}": {} for i in range(9)})
    assert describe(Outline(), new) == "tables +t0, +t1, +t2, +t3, +t4, and 4 more"


def test_models_outline_is_read_from_the_generated_registries(tmp_path: Path) -> None:
    export = schema_export(REPO)
    files = models_files(tmp_path, "convex", "convex/schema.ts", export, [], 30)
    outline = from_models(files.values())

    assert set(outline.tables) == {"users", "messages", "agents", "liquidations", "prices"}
    assert set(outline.tables["users"]) == {"wallet_address", "username", "bio", "created_at"}
    assert from_models(["not python ("]) == Outline()
