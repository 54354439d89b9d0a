"""The parts of a schema that the app depends on, and the differences between two schemas.

One comparison serves both the contract check (schema.ts against what the app relies
on; extras allowed) and drift (the deployed schema against the local one; extras count).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cli.services.convex.schema.validator_json import parse
from cli.services.convex.schema.validators import Object, Validator, describe_field, normalized
from cli.shared.report import Finding
from cli.shared.types import JsonObject


@dataclass(frozen=True)
class FieldModel:
    validator: Validator
    optional: bool

    def same_type(self, other: FieldModel) -> bool:
        return normalized(self.validator) == normalized(other.validator)

    def describe(self) -> str:
        return describe_field(self.validator, self.optional)


@dataclass
class TableModel:
    fields: dict[str, FieldModel] = field(default_factory=dict)
    # Every index by name: database indexes by their fields; search and vector
    # indexes by a description of what they index.
    indexes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class SchemaModel:
    tables: dict[str, TableModel] = field(default_factory=dict)

    @classmethod
    def from_export(cls, export: JsonObject) -> SchemaModel:
        """Model the JSON of `defineSchema(...).export()`."""
        tables: dict[str, TableModel] = {}
        for table in export.get("tables", []):
            doc = parse(table.get("documentType") or {"type": "any"})
            fields = {}
            if isinstance(doc, Object):
                fields = {f.name: FieldModel(f.validator, f.optional) for f in doc.fields}
            indexes: dict[str, tuple[str, ...]] = {}
            for index in table.get("indexes") or []:
                indexes[index["indexDescriptor"]] = tuple(index.get("fields", []))
            for index in table.get("searchIndexes") or []:
                indexes[index["indexDescriptor"]] = (
                    f"search:{index.get('searchField')}",
                    *index.get("filterFields", []),
                )
            for index in table.get("vectorIndexes") or []:
                indexes[index["indexDescriptor"]] = (
                    f"vector:{index.get('vectorField')}:{index.get('dimensions')}",
                    *index.get("filterFields", []),
                )
            tables[table["tableName"]] = TableModel(fields, indexes)
        return cls(tables)


@dataclass(frozen=True)
class Labels:
    """How a comparison names its two sides in messages."""

    prefix: str  # finding codes start with it, e.g. "contract" or "drift"
    expected: str  # e.g. "the app's contract", "convex/schema.ts"
    actual: str  # e.g. "convex/schema.ts", "the deployment"


def _fields_text(fields: tuple[str, ...]) -> str:
    return "[" + ", ".join(fields) + "]"


def compare(expected: SchemaModel, actual: SchemaModel, labels: Labels, *, extras: bool) -> list[Finding]:
    """Differences of `actual` from `expected`; with `extras`, what only `actual` has too."""
    p, exp, act = labels.prefix, labels.expected, labels.actual
    out: list[Finding] = []
    for name, want in expected.tables.items():
        have = actual.tables.get(name)
        if have is None:
            out.append(
                Finding(f"{p}/missing-table", f"table {name}: in {exp}, missing from {act}", table=name)
            )
            continue
        for fname, wf in want.fields.items():
            hf = have.fields.get(fname)
            where = f"{name}.{fname}"
            if hf is None:
                out.append(
                    Finding(
                        f"{p}/missing-field",
                        f"field {where}: {exp} has {wf.describe()}, missing from {act}",
                        table=name,
                        field=fname,
                    )
                )
            elif not wf.same_type(hf):
                out.append(
                    Finding(
                        f"{p}/field-type",
                        f"field {where}: {exp} has {wf.describe()}, {act} has {hf.describe()}",
                        table=name,
                        field=fname,
                    )
                )
            elif wf.optional != hf.optional:
                out.append(
                    Finding(
                        f"{p}/field-optional",
                        f"field {where}: {'optional' if wf.optional else 'required'} in {exp}, "
                        f"{'optional' if hf.optional else 'required'} in {act}",
                        table=name,
                        field=fname,
                    )
                )
        for iname, ifields in want.indexes.items():
            hi = have.indexes.get(iname)
            if hi is None:
                out.append(
                    Finding(
                        f"{p}/missing-index",
                        f"index {name}.{iname} on {_fields_text(ifields)}: in {exp}, missing from {act}",
                        table=name,
                        index=iname,
                    )
                )
            elif hi != ifields:
                out.append(
                    Finding(
                        f"{p}/index-fields",
                        f"index {name}.{iname}: {exp} indexes {_fields_text(ifields)}, "
                        f"{act} indexes {_fields_text(hi)}",
                        table=name,
                        index=iname,
                    )
                )
        if extras:
            for fname, hf in have.fields.items():
                if fname not in want.fields:
                    out.append(
                        Finding(
                            f"{p}/extra-field",
                            f"field {name}.{fname}: {act} has {hf.describe()}, {exp} does not",
                            table=name,
                            field=fname,
                        )
                    )
            for iname, ifields in have.indexes.items():
                if iname not in want.indexes:
                    out.append(
                        Finding(
                            f"{p}/extra-index",
                            f"index {name}.{iname} on {_fields_text(ifields)}: in {act}, not in {exp}",
                            table=name,
                            index=iname,
                        )
                    )
    if extras:
        for name in actual.tables:
            if name not in expected.tables:
                out.append(Finding(f"{p}/extra-table", f"table {name}: in {act}, not in {exp}", table=name))
    return out
