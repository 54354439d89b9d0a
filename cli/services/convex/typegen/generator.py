"""Python types and classes for validators, offline and alike each time (the same export gives
the same classes, in the same order, with the same names).

Each table gets a frozen, keyword-only dataclass `<Table>Doc` (a table defined as a union:
a base class with one subclass per variant; a v.any() table: its fields in `fields`), an
`<Table>Id` type, and nested objects classes of their own. Field names that are Python
keywords get a trailing `_`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import parse
from cli.services.convex.typegen.names import pascal, python_name
from cli.shared.types import JsonObject


@dataclass
class Field:
    python: str
    convex: str
    optional: bool
    annotation: str
    validator: v.Validator  # with the classes it contains named


@dataclass
class Class:
    name: str
    doc: str
    fields: list[Field] = field(default_factory=list)
    base: str = "Document"
    table_id: str | None = None  # for a table's documents: the type of their _id
    any: bool = False


SIMPLE_TYPES: dict[type, str] = {
    v.String: "str",
    v.Float64: "float",
    v.Int64: "int",
    v.CommitTs: "int",
    v.Boolean: "bool",
    v.Null: "None",
    v.Bytes: "bytes",
    v.AnyValue: "Any",
}


@dataclass
class Generator:
    tables: list[str]
    ids: dict[str, str] = field(default_factory=dict)  # table -> its Id type's name
    classes: list[Class] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def unique(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.names:
            name, n = f"{wanted}{n}", n + 1
        self.names.add(name)
        return name

    def id_type(self, table: str) -> str:
        if table not in self.ids:
            self.ids[table] = self.unique(f"{pascal(table)}Id")
        return self.ids[table]

    def type_of(self, validator: v.Validator, owner: str, where: str) -> tuple[str, v.Validator]:
        """The Python type of a validator (at `where`, e.g. users.profile), and the validator
        with its classes named."""
        match validator:
            case v.Id(table):
                return self.id_type(table), validator
            case v.Literal(value):
                return (f"Literal[{_py(value)}]" if _literal_type(value) else "float"), validator
            case v.Array(item):
                inner, named = self.type_of(item, f"{owner}Item", f"{where}[*]")
                return f"list[{inner}]", v.Array(named)
            case v.Record(keys, values, optional):
                key, named_keys = self.type_of(keys, f"{owner}Key", f"{where}.keys()")
                value, named_values = self.type_of(values, f"{owner}Value", f"{where}[*]")
                return f"dict[{key}, {value}]", v.Record(named_keys, named_values, optional)
            case v.Object():
                named_object = self.object_class(validator, owner, f"The object at {where}.", where)
                return named_object.name or "Any", named_object
            case v.Union():
                return self.union(validator, owner, where)
            case v.Malformed():
                return "Any", validator
            case _:
                return SIMPLE_TYPES[type(validator)], validator

    def union(self, validator: v.Union, owner: str, where: str) -> tuple[str, v.Validator]:
        members: list[str] = []
        named: list[v.Validator] = []
        literals: list[str] = []
        for i, member in enumerate(validator.members, 1):
            text, inner = self.type_of(member, f"{owner}{i}", where)
            named.append(inner)
            if text.startswith("Literal[") and "|" not in text:
                literals.append(text.removeprefix("Literal[").removesuffix("]"))
            elif text not in members:
                members.append(text)
        if literals:
            members.insert(0, f"Literal[{', '.join(dict.fromkeys(literals))}]")
        if "None" in members:  # last, as people write it
            members.append(members.pop(members.index("None")))
        return (" | ".join(members) or "Never"), v.Union(tuple(named))

    def object_class(self, validator: v.Object, owner: str, doc: str, where: str, **extra: Any) -> v.Object:
        """A class for the object: the object with its name (and its fields' classes named)."""
        cls = Class(self.unique(owner), doc, **extra)
        self.classes.append(cls)
        for spec in validator.fields:
            hint = f"{cls.name}{pascal(spec.name)}"
            annotation, named = self.type_of(spec.validator, hint, f"{where}.{spec.name}")
            if spec.optional and annotation != "Any" and not annotation.endswith("None"):
                annotation += " | None"
            cls.fields.append(Field(python_name(spec.name), spec.name, spec.optional, annotation, named))
        return v.Object(validator.fields, cls.name)

    def table(self, table: JsonObject) -> list[str]:
        """The table's class (and its variants'): their names, the table's class first."""
        name = str(table["tableName"])
        doc = parse(table.get("documentType") or {"type": "any"})
        ident = self.id_type(name)
        title = f"{pascal(name)}Doc"
        if isinstance(doc, v.Object):
            named = self.object_class(
                _user_fields(doc), title, f"A document of the table {name}.", name, table_id=ident
            )
            return [str(named.name)]
        if isinstance(doc, v.Union):
            base = Class(
                self.unique(title), f"A document of the table {name}: one of its variants.", table_id=ident
            )
            self.classes.append(base)
            variants = []
            for i, member in enumerate(doc.members, 1):
                if not isinstance(member, v.Object):
                    continue  # the push rules refuse it
                doc_i = f"Variant {i} of the documents of the table {name}."
                named = self.object_class(_user_fields(member), f"{title}{i}", doc_i, name, base=base.name)
                variants.append(str(named.name))
            return [base.name, *variants]
        self.classes.append(
            Class(self.unique(title), f"A document of the table {name} (v.any()).", table_id=ident, any=True)
        )
        return [self.classes[-1].name]


def _user_fields(document: v.Object) -> v.Object:
    """The fields a document's class holds: the backend drops top-level `_` fields."""
    return v.Object(tuple(f for f in document.fields if not f.name.startswith("_")))


def _literal_type(value: object) -> bool:
    """Whether Python has a literal type for the value: not for a float with a fraction (nor
    -0, NaN or the infinities); an integral float64 is annotated as the int it equals."""
    if not isinstance(value, float):
        return True
    negative_zero = value == 0 and math.copysign(1, value) < 0
    return math.isfinite(value) and value.is_integer() and not negative_zero


def _py(value: object) -> str:
    """A literal value as Python source (double quotes, as ruff writes strings)."""
    import json

    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(int(value)) if isinstance(value, float) else repr(value)
