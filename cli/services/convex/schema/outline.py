"""What a schema or a set of generated models is made of, and one line saying what changed
between two of them (tables, fields, indexes, functions): for watching commands."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from cli.shared.types import JsonObject


@dataclass(frozen=True)
class Outline:
    tables: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> field -> its type, as text
    indexes: dict[str, str] = field(default_factory=dict)  # "table.index" -> its definition, as text
    functions: dict[str, str] = field(default_factory=dict)  # "module:name" -> its validators, as text


def from_export(export: JsonObject) -> Outline:
    """A schema's outline, from its export."""
    tables: dict[str, dict[str, str]] = {}
    indexes: dict[str, str] = {}
    for table in export.get("tables") or []:
        if not isinstance(table, dict):
            continue
        name = str(table.get("tableName"))
        document = table.get("documentType") or {}
        members = document.get("value") if document.get("type") == "union" else [document]
        fields: dict[str, str] = {}
        for member in members or []:
            if isinstance(member, dict) and member.get("type") == "object":
                for key, value in (member.get("value") or {}).items():
                    fields[key] = fields.get(key, "") + json.dumps(value, sort_keys=True)
        tables[name] = fields
        for kind in ("indexes", "stagedDbIndexes", "searchIndexes", "stagedSearchIndexes", "vectorIndexes"):
            for index in table.get(kind) or []:
                if isinstance(index, dict):
                    described = json.dumps(index, sort_keys=True)
                    indexes[f"{name}.{index.get('indexDescriptor')}"] = described
    return Outline(tables, indexes)


def from_models(texts: Iterable[str]) -> Outline:
    """The outline the generated modules hold in their registries (an unreadable module
    counts as empty)."""
    tables: dict[str, dict[str, str]] = {}
    functions: dict[str, str] = {}
    for text in texts:
        registry = _registry_call(text)
        if registry is None:
            continue
        arguments = {k.arg: k.value for k in registry.keywords if k.arg}
        classes = _class_fields(arguments.get("classes"))
        table_classes = arguments.get("tables")
        if isinstance(table_classes, ast.Dict):
            for key, value in zip(table_classes.keys, table_classes.values, strict=True):
                names = [e.value for e in getattr(value, "elts", []) if isinstance(e, ast.Constant)]
                if isinstance(key, ast.Constant):
                    merged: dict[str, str] = {}
                    for name in names:
                        merged.update(classes.get(str(name), {}))
                    tables[str(key.value)] = merged
        calls = arguments.get("functions")
        if isinstance(calls, ast.Dict):
            for key, value in zip(calls.keys, calls.values, strict=True):
                if isinstance(key, ast.Constant):
                    functions[str(key.value)] = ast.dump(value)
    return Outline(tables, {}, functions)


def _registry_call(text: str) -> ast.Call | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in tree.body:
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == "_REGISTRY" and isinstance(value, ast.Call):
            return value
    return None


def _class_fields(node: ast.expr | None) -> dict[str, dict[str, str]]:
    """class name -> Convex field name -> (optional, validator) as text."""
    found: dict[str, dict[str, str]] = {}
    if not isinstance(node, ast.Dict):
        return found
    for key, value in zip(node.keys, node.values, strict=True):
        if not isinstance(key, ast.Constant) or not isinstance(value, ast.Tuple) or len(value.elts) < 2:
            continue
        fields: dict[str, str] = {}
        for spec in getattr(value.elts[1], "elts", []):
            parts = getattr(spec, "elts", [])
            if len(parts) == 4 and isinstance(parts[1], ast.Constant):
                fields[str(parts[1].value)] = ast.dump(parts[2]) + ast.dump(parts[3])
        found[str(key.value)] = fields
    return found


def _changes(kind: str, old: dict[str, str], new: dict[str, str]) -> str | None:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(k for k in set(old) & set(new) if old[k] != new[k])
    parts = [f"+{k}" for k in added] + [f"-{k}" for k in removed] + [f"~{k}" for k in changed]
    if not parts:
        return None
    shown = parts if len(parts) <= 6 else [*parts[:5], f"and {len(parts) - 5} more"]
    return f"{kind} {', '.join(shown)}"


def describe(old: Outline, new: Outline) -> str:
    """What changed, e.g. "tables +audit; fields +users.nickname; functions ~health:ping"; "" if nothing."""
    tables = _changes("tables", dict.fromkeys(old.tables, ""), dict.fromkeys(new.tables, ""))
    old_fields = {
        f"{t}.{f}": v for t, fields in old.tables.items() if t in new.tables for f, v in fields.items()
    }
    new_fields = {
        f"{t}.{f}": v for t, fields in new.tables.items() if t in old.tables for f, v in fields.items()
    }
    parts = [
        tables,
        _changes("fields", old_fields, new_fields),
        _changes("indexes", old.indexes, new.indexes),
        _changes("functions", old.functions, new.functions),
    ]
    return "; ".join(part for part in parts if part)
