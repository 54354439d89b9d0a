"""Push rules on validators and document types, as the Convex backend parses them at push.

Mirrors get-convex/convex-backend at commit 94a42c3db (2026-08-22),
crates/common/src/schemas/: `TryFrom<ValidatorJson> for Validator` and
`TryFrom<ValidatorJson> for DocumentSchema` in json.rs; `is_subset`,
`is_string_subtype_with_string_literal`, `_can_contain_field` and
`_overlaps_with_array_float64` in validator.rs; `DocumentSchema::can_contain_field` and
`is_vector_index_eligible` in mod.rs. The validators are the parsed tree of
cli.services.convex.schema.validators.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from cli.services.convex.push.identifiers import FieldPath, field_name_problem, identifier_problem
from cli.services.convex.schema.validators import (
    AnyValue,
    Array,
    Float64,
    Id,
    Literal,
    Malformed,
    Object,
    Record,
    String,
    Union,
    Validator,
    type_name,
)
from cli.shared.report import Finding, Severity


def validator_findings(table: str, validator: Validator, path: str) -> Iterator[Finding]:
    """Everything the backend's parser rejects inside one validator, depth first."""
    where = f"{table}.{path}" if path else table
    field = path or None
    match validator:
        case Malformed(why, _, unknown):
            yield Finding("push/malformed", f"{where}: {why}", table=table, field=None if unknown else field)
        case Literal(float() as number) if not math.isfinite(number):
            yield Finding(
                "push/literal-not-finite",
                f"{where}: v.literal({number}) is not finite; the backend cannot store Infinity or NaN "
                "literals in a schema",
                table=table,
                field=field,
            )
        case Id(name):
            problem = identifier_problem(name)
            if problem:
                yield Finding(
                    "push/id-table-name",
                    f"{where}: v.id({name!r}) names no valid table: {problem}",
                    table=table,
                    field=field,
                )
        case Array(item):
            yield from validator_findings(table, item, path)
        case Union(members):
            for member in members:
                yield from validator_findings(table, member, path)
        case Object(fields):
            for spec in sorted(fields, key=lambda f: f.name):
                child = f"{path}.{spec.name}" if path else spec.name
                problem = field_name_problem(spec.name)
                if problem:
                    yield Finding(
                        "push/field-name",
                        f"field {table}.{child} is invalid: {problem}",
                        table=table,
                        field=child,
                    )
                yield from validator_findings(table, spec.validator, child)
        case Record():
            yield from _record_findings(table, validator, path, where)


def _record_findings(table: str, record: Record, path: str, where: str) -> Iterator[Finding]:
    field = path or None
    yield from validator_findings(table, record.keys, path)
    if not is_string_subset(record.keys):
        yield Finding(
            "push/record-keys",
            f"record in {where}: keys must be v.string(), v.id(...) or a union of them",
            table=table,
            field=field,
        )
    yield from validator_findings(table, record.values, path)
    if has_string_literal(record.keys):
        yield Finding(
            "push/record-literal-keys",
            f"record in {where}: keys must not be string literals (use v.object for known keys)",
            table=table,
            field=field,
        )
    if record.values_optional:
        yield Finding(
            "push/record-values", f"record in {where}: values must not be optional", table=table, field=field
        )


def is_string_subset(validator: Validator) -> bool:
    """`keys.is_subset(&Validator::String)`: strings, ids, string literals and unions of them."""
    match validator:
        case String() | Id():
            return True
        case Literal(value):
            return isinstance(value, str)
        case Union(members):
            return all(is_string_subset(m) for m in members)
    return False


def has_string_literal(validator: Validator) -> bool:
    """`is_string_subtype_with_string_literal`: a string literal anywhere in the union."""
    match validator:
        case Literal(value):
            return isinstance(value, str)
        case Union(members):
            return any(has_string_literal(m) for m in members)
    return False


@dataclass(frozen=True)
class DocumentSchema:
    """`DocumentSchema`: None for any document, else the objects a document may be
    (top-level fields starting with _ already dropped, as `filter_system_fields` does)."""

    objects: tuple[Object, ...] | None

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


def document_schema(
    table: str, document_type: Validator | None
) -> tuple[DocumentSchema | None, list[Finding]]:
    """The table's document schema (None when the backend rejects its shape), and what it
    rejects or drops there. Field-level problems come from `validator_findings`."""
    if document_type is None or isinstance(document_type, AnyValue):
        return DocumentSchema(None), []
    if isinstance(document_type, Malformed) and document_type.kind in ("object", "union"):
        return DocumentSchema(None), []  # refused already as malformed: nothing more to say
    members = document_type.members if isinstance(document_type, Union) else (document_type,)
    if not all(isinstance(m, Object) for m in members):
        found = sorted({type_name(m) for m in members if not isinstance(m, Object)})
        return None, [
            Finding(
                "push/document-type",
                f"table {table}: the document validator must be an object, a union of objects or "
                f"v.any(), not {' or '.join(found)}",
                table=table,
            )
        ]
    warnings: list[Finding] = []
    kept: list[Object] = []
    for member in members:
        assert isinstance(member, Object)
        dropped = sorted(
            f.name for f in member.fields if f.name.startswith("_") and not field_name_problem(f.name)
        )
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
        kept.append(Object(tuple(f for f in member.fields if f.name not in dropped)))
    return DocumentSchema(tuple(kept)), warnings


def _can_contain(validator: Validator, parts: list[str]) -> bool:
    if not parts:
        return True
    match validator:
        case AnyValue():
            return True
        case Union(members):
            return any(_can_contain(m, parts) for m in members)
        case Object():
            spec = validator.get(parts[0])
            return spec is not None and _can_contain(spec.validator, parts[1:])
    return False


def _is_valid_vector_validator(validator: Validator) -> bool:
    match validator:
        case Array(item):
            return isinstance(item, Float64 | AnyValue)
        case AnyValue():
            return True
        case Union(members):
            return any(_is_valid_vector_validator(m) for m in members)
    return False


def _overlaps_with_array_float64(validator: Validator, parts: list[str]) -> bool:
    if not parts:
        return _is_valid_vector_validator(validator)
    match validator:
        case AnyValue():
            return True
        case Union(members):
            return any(_overlaps_with_array_float64(m, parts) for m in members)
        case Object():
            spec = validator.get(parts[0])
            # A missing field counts as eligible: the backend's `.unwrap_or(true)`.
            return spec is None or _overlaps_with_array_float64(spec.validator, parts[1:])
    return False
