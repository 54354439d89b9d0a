"""Validators as the Convex backend parses them when a schema is pushed.

Mirrors get-convex/convex-backend at commit 94a42c3db (2026-08-22),
crates/common/src/schemas/: `TryFrom<ValidatorJson> for Validator` and
`TryFrom<ValidatorJson> for DocumentSchema` in json.rs; `is_subset`,
`is_string_subtype_with_string_literal`, `_can_contain_field` and
`_overlaps_with_array_float64` in validator.rs; `DocumentSchema::can_contain_field` and
`is_vector_index_eligible` in mod.rs. A validator here is the JSON of
`defineSchema(...).export()`.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cli.services.convex.identifiers import FieldPath, field_name_problem, identifier_problem
from cli.services.convex.report import Finding, Severity

Json = dict[str, Any]

# `ValidatorJson`'s variants; `map` and `set` are serde aliases of `any`.
KNOWN_TYPES = frozenset(
    {"null", "number", "bigint", "commitTs", "boolean", "string", "bytes", "any", "map", "set"}
    | {"literal", "id", "array", "record", "object", "union"}
)


def _kind(validator: object) -> str | None:
    if not isinstance(validator, dict):
        return None
    kind = validator.get("type")
    if kind in ("map", "set"):
        return "any"
    return kind if isinstance(kind, str) else None


def _members(validator: Json) -> list[Any]:
    value = validator.get("value")
    return value if isinstance(value, list) else []


def _fields(validator: Json) -> dict[str, Any]:
    value = validator.get("value")
    return value if isinstance(value, dict) else {}


def _field_type(spec: object) -> Any:
    return spec.get("fieldType") if isinstance(spec, dict) else None


def _float_literal(value: object) -> float | None:
    """A number literal's value: a JSON number, or `{"$float": base64}` for NaN, ±Infinity, -0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict) and set(value) == {"$float"} and isinstance(value["$float"], str):
        try:
            raw = base64.b64decode(value["$float"], validate=True)
        except ValueError:
            return None
        return struct.unpack("<d", raw)[0] if len(raw) == 8 else None
    return None


def _is_field_type(spec: object) -> bool:
    """`FieldTypeJson`: {fieldType, optional: bool}, both required."""
    return isinstance(spec, dict) and "fieldType" in spec and isinstance(spec.get("optional"), bool)


def _is_literal_value(value: object) -> bool:
    """What `LiteralValidator::try_from` takes: a string, number or boolean (Convex JSON)."""
    if isinstance(value, str | bool | int | float):
        return True
    return (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)) in ("$integer", "$float")
        and isinstance(next(iter(value.values())), str)
    )


def _shape_problem(kind: str, validator: Json) -> str | None:
    """What serde would refuse in `ValidatorJson` (only a hand-made export() can get here)."""
    if kind == "literal" and not _is_literal_value(validator.get("value")):
        return f"v.literal({json.dumps(validator.get('value'))}) is not a string, number or boolean"
    if kind == "id" and not isinstance(validator.get("tableName"), str):
        return "v.id(...) has no table name"
    if kind in ("array", "union", "object") and not isinstance(
        validator.get("value"), {"array": dict, "union": list, "object": dict}[kind]
    ):
        return f"the {kind} validator has no proper value"
    if kind == "object" and not all(_is_field_type(spec) for spec in _fields(validator).values()):
        return "an object field lacks fieldType or optional"
    if kind == "record" and not (
        isinstance(validator.get("keys"), dict) and _is_field_type(validator.get("values"))
    ):
        return "the record validator lacks keys or values"
    return None


def validator_findings(table: str, validator: object, path: str) -> Iterator[Finding]:
    """Everything the backend's parser rejects inside one validator, depth first."""
    kind = _kind(validator)
    where = f"{table}.{path}" if path else table
    if kind is None or kind not in KNOWN_TYPES or not isinstance(validator, dict):
        shown = validator.get("type") if isinstance(validator, dict) else type(validator).__name__
        message = f"{where}: the backend does not know the validator {shown!r}"
        yield Finding("push/malformed", message, table=table)
        return
    problem = _shape_problem(kind, validator)
    if problem is not None:
        yield Finding("push/malformed", f"{where}: {problem}", table=table, field=path or None)
        return
    if kind == "literal":
        number = _float_literal(validator.get("value"))
        if number is not None and not math.isfinite(number):
            yield Finding(
                "push/literal-not-finite",
                f"{where}: v.literal({number}) is not finite; the backend cannot store Infinity or NaN "
                "literals in a schema",
                table=table,
                field=path or None,
            )
    elif kind == "id":
        name = validator.get("tableName")
        problem = identifier_problem(name) if isinstance(name, str) else "it is not a string"
        if problem:
            yield Finding(
                "push/id-table-name",
                f"{where}: v.id({name!r}) names no valid table: {problem}",
                table=table,
                field=path or None,
            )
    elif kind == "array":
        yield from validator_findings(table, validator.get("value"), path)
    elif kind == "union":
        for member in _members(validator):
            yield from validator_findings(table, member, path)
    elif kind == "object":
        for key, spec in sorted(_fields(validator).items()):
            child = f"{path}.{key}" if path else key
            problem = field_name_problem(key)
            if problem:
                yield Finding(
                    "push/field-name",
                    f"field {table}.{child} is invalid: {problem}",
                    table=table,
                    field=child,
                )
            yield from validator_findings(table, _field_type(spec), child)
    elif kind == "record":
        yield from _record_findings(table, validator, path, where)


def _record_findings(table: str, validator: Json, path: str, where: str) -> Iterator[Finding]:
    keys = validator.get("keys")
    values = validator.get("values")
    yield from validator_findings(table, keys, path)
    if not is_string_subset(keys):
        yield Finding(
            "push/record-keys",
            f"record in {where}: keys must be v.string(), v.id(...) or a union of them",
            table=table,
            field=path or None,
        )
    yield from validator_findings(table, _field_type(values), path)
    if has_string_literal(keys):
        yield Finding(
            "push/record-literal-keys",
            f"record in {where}: keys must not be string literals (use v.object for known keys)",
            table=table,
            field=path or None,
        )
    if isinstance(values, dict) and values.get("optional"):
        yield Finding(
            "push/record-values",
            f"record in {where}: values must not be optional",
            table=table,
            field=path or None,
        )


def is_string_subset(validator: object) -> bool:
    """`keys.is_subset(&Validator::String)`: strings, ids, string literals and unions of them."""
    kind = _kind(validator)
    if kind in ("string", "id"):
        return True
    if kind == "literal" and isinstance(validator, dict):
        return isinstance(validator.get("value"), str)
    if kind == "union" and isinstance(validator, dict):
        return all(is_string_subset(m) for m in _members(validator))
    return False


def has_string_literal(validator: object) -> bool:
    """`is_string_subtype_with_string_literal`: a string literal anywhere in the union."""
    kind = _kind(validator)
    if kind == "literal" and isinstance(validator, dict):
        return isinstance(validator.get("value"), str)
    if kind == "union" and isinstance(validator, dict):
        return any(has_string_literal(m) for m in _members(validator))
    return False


@dataclass(frozen=True)
class DocumentSchema:
    """`DocumentSchema`: None for any document, else the objects a document may be
    (top-level fields starting with _ already dropped, as `filter_system_fields` does)."""

    objects: tuple[Json, ...] | None

    def can_contain(self, path: FieldPath) -> bool:
        """`DocumentSchema::can_contain_field`."""
        if path.is_system_root or self.objects is None:
            return True
        return any(_can_contain(obj, list(path.parts)) for obj in self.objects)

    def vector_eligible(self, path: FieldPath) -> bool:
        """`DocumentSchema::is_vector_index_eligible`."""
        if self.objects is None:
            return True
        return any(_overlaps_with_array_float64(obj, list(path.parts)) for obj in self.objects)


def document_schema(table: str, document_type: object) -> tuple[DocumentSchema | None, list[Finding]]:
    """The table's document schema (None when the backend rejects its shape), and what it
    rejects or drops there. Field-level problems come from `validator_findings`."""
    if document_type is None:
        return DocumentSchema(None), []
    kind = _kind(document_type)
    if kind == "any":
        return DocumentSchema(None), []
    if kind == "object" and isinstance(document_type, dict):
        members = [document_type]
    elif kind == "union" and isinstance(document_type, dict):
        members = _members(document_type)
    else:
        members = []
    if kind not in ("object", "union") or any(_kind(m) != "object" for m in members):
        found = sorted({str(_kind(m)) for m in members if _kind(m) != "object"} or {str(kind)})
        return None, [
            Finding(
                "push/document-type",
                f"table {table}: the document validator must be an object, a union of objects or "
                f"v.any(), not {' or '.join(found)}",
                table=table,
            )
        ]
    warnings: list[Finding] = []
    kept: list[Json] = []
    for member in members:
        fields = _fields(member)
        dropped = sorted(k for k in fields if k.startswith("_") and field_name_problem(k) is None)
        warnings += [
            Finding(
                "push/system-field",
                f"field {table}.{name}: the backend drops top-level fields starting with _ from the "
                "schema, so it is not validated (documents cannot have such fields besides _id "
                "and _creationTime)",
                table=table,
                field=name,
                severity=Severity.WARNING,
            )
            for name in dropped
        ]
        kept.append({"type": "object", "value": {k: v for k, v in fields.items() if k not in dropped}})
    return DocumentSchema(tuple(kept)), warnings


def _can_contain(validator: object, parts: list[str]) -> bool:
    if not parts:
        return True
    kind = _kind(validator)
    if kind == "any":
        return True
    if kind == "union" and isinstance(validator, dict):
        return any(_can_contain(m, parts) for m in _members(validator))
    if kind == "object" and isinstance(validator, dict):
        spec = _fields(validator).get(parts[0])
        return spec is not None and _can_contain(_field_type(spec), parts[1:])
    return False


def _is_valid_vector_validator(validator: object) -> bool:
    kind = _kind(validator)
    if kind == "array" and isinstance(validator, dict):
        return _kind(validator.get("value")) in ("number", "any")
    if kind == "any":
        return True
    if kind == "union" and isinstance(validator, dict):
        return any(_is_valid_vector_validator(m) for m in _members(validator))
    return False


def _overlaps_with_array_float64(validator: object, parts: list[str]) -> bool:
    if not parts:
        return _is_valid_vector_validator(validator)
    kind = _kind(validator)
    if kind == "any":
        return True
    if kind == "union" and isinstance(validator, dict):
        return any(_overlaps_with_array_float64(m, parts) for m in _members(validator))
    if kind == "object" and isinstance(validator, dict):
        spec = _fields(validator).get(parts[0])
        # A missing field counts as eligible: the backend's `.unwrap_or(true)`.
        return spec is None or _overlaps_with_array_float64(_field_type(spec), parts[1:])
    return False
