"""What a pushed schema changes against the current one: start_push's index diff and
evaluate_schema's prediction per table and index."""

from __future__ import annotations

import json
from typing import Final

from tests.loopback.functions import Store
from tests.loopback.values import JsonObject

INDEX_KINDS: Final = (
    ("indexes", "database", False),
    ("stagedDbIndexes", "database", True),
    ("searchIndexes", "search", False),
    ("stagedSearchIndexes", "search", True),
    ("vectorIndexes", "vector", False),
    ("stagedVectorIndexes", "vector", True),
)


def _tables(schema: JsonObject | None) -> dict[str, JsonObject]:
    if schema is None:
        return {}
    return {str(t.get("tableName")): t for t in schema.get("tables") or [] if isinstance(t, dict)}


def index_configs(schema: JsonObject | None) -> dict[str, JsonObject]:
    """Every index of a schema export as the CLI's ``developerIndexConfig``, by full name."""
    configs: dict[str, JsonObject] = {}
    for table_name, table in _tables(schema).items():
        for key, kind, staged in INDEX_KINDS:
            for index in table.get(key) or []:
                config: JsonObject = {"name": f"{table_name}.{index.get('indexDescriptor')}", "type": kind}
                if kind == "database":
                    config["fields"] = list(index.get("fields") or [])
                elif kind == "search":
                    config["searchField"] = index.get("searchField")
                    config["filterFields"] = list(index.get("filterFields") or [])
                else:
                    config["dimensions"] = index.get("dimensions")
                    config["vectorField"] = index.get("vectorField")
                    config["filterFields"] = list(index.get("filterFields") or [])
                if staged:
                    config["staged"] = True
                configs[config["name"]] = config
    return configs


def index_changes(new: JsonObject | None, old: JsonObject | None) -> list[tuple[JsonObject, str]]:
    """Each index of either schema with its change: added, identical, enabled (staged →
    active), disabled (active → staged) or dropped (then the old config). An index whose
    definition changed under the same name counts as added."""
    new_indexes, old_indexes = index_configs(new), index_configs(old)
    changes: list[tuple[JsonObject, str]] = []
    for name, config in new_indexes.items():
        before = old_indexes.get(name)
        if before is None:
            change = "added"
        elif before == config:
            change = "identical"
        elif {k: v for k, v in before.items() if k != "staged"} != {
            k: v for k, v in config.items() if k != "staged"
        }:
            change = "added"
        else:
            change = "disabled" if config.get("staged") else "enabled"
        changes.append((config, change))
    changes += [(config, "dropped") for name, config in old_indexes.items() if name not in new_indexes]
    return changes


def index_diff(new: JsonObject | None, old: JsonObject | None) -> JsonObject:
    """start_push's ``schemaChange.indexDiffs[""]``, which the CLI prints ("Added table
    indexes: ...")."""
    by_change: dict[str, list[JsonObject]] = {}
    for config, change in index_changes(new, old):
        by_change.setdefault(change, []).append(config)
    return {
        "added_indexes": by_change.get("added", []),
        "removed_indexes": by_change.get("dropped", []),
        "enabled_indexes": by_change.get("enabled", []),
        "disabled_indexes": by_change.get("disabled", []),
    }


def evaluate_schema_response(new: JsonObject | None, old: JsonObject | None, store: Store) -> JsonObject:
    """A prediction for /api/deploy2/evaluate_schema (deployApi/evaluateSchema.ts) from the
    pushed and the current schema and the store: per table whether documents must be
    re-checked, per index whether it is added, identical, enabled, disabled or dropped.
    Staged validator progress is not modelled (no ``staged`` entries)."""
    validation = bool(new and new.get("schemaValidation"))
    old_tables = _tables(old)
    tables = []
    for name, table in _tables(new).items():
        documents = store.documents(name)
        previous = old_tables.get(name)
        if not validation:
            outcome = "notValidated"
        elif (
            previous is not None
            and old is not None
            and old.get("schemaValidation")
            and previous.get("documentType") == table.get("documentType")
        ):
            outcome = "supersetOfEnforced"
        elif not documents:
            outcome = "supersetOfShape"
        else:
            outcome = "mustWalk"
        size = len(json.dumps(documents)) if documents else 0
        tables.append({"name": name, "outcome": outcome, "numDocs": len(documents), "sizeBytes": size})
    indexes = []
    for config, change in index_changes(new, old):
        count = len(store.documents(str(config["name"]).split(".", 1)[0]))
        needs_backfill = change == "added" and count > 0
        indexes.append({**config, "change": change, "needsBackfill": needs_backfill, "numDocs": count})
    return {
        "componentSchemaEvaluations": {
            "": {
                "definitionPath": "",
                "schemaValidation": validation,
                "tables": tables,
                "indexes": indexes,
                "discardedStagedValidators": [],
            }
        },
        "newComponentDefinitions": [],
    }
