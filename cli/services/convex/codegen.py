"""Python source for typed documents, written from the schema's export, offline and alike each
time (the same export gives the same bytes, formatted as ruff formats them).

Each table gets a frozen, keyword-only dataclass `<Table>Doc` (a table defined as a union:
a base class with one subclass per variant; a v.any() table: its fields in `fields`), an
`<Table>Id` type, and `parse_document(table, value)`. Nested objects get classes of their
own. Field names that are Python keywords get a trailing `_`.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from cli.services.convex.validators import literal_value

Json = dict[str, Any]
WIDTH = 110  # the project's line length (pyproject.toml, ruff)
MODELS_DIR = "cli/services/convex/models"


def pascal(name: str) -> str:
    """users -> Users, liquidation_events -> LiquidationEvents, _storage -> SystemStorage."""
    words = [part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part]
    return ("System" if name.startswith("_") else "") + ("".join(words) or "Unnamed")


def python_name(name: str) -> str:
    """A Convex field name as a Python attribute (keywords and mangled names changed)."""
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{name}_"
    return f"field{name}" if name.startswith("__") else name


@dataclass
class Field:
    python: str
    convex: str
    optional: bool
    annotation: str
    validator: Json


@dataclass
class Class:
    name: str
    doc: str
    fields: list[Field] = field(default_factory=list)
    base: str = "Document"
    table_id: str | None = None  # for a table's documents: the type of their _id
    any: bool = False


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

    def type_of(self, validator: Json, owner: str, where: str) -> tuple[str, Json]:
        """The Python type of a validator (at `where`, e.g. users.profile), and the validator
        with its classes named."""
        kind = validator.get("type")
        simple = {"string": "str", "number": "float", "bigint": "int", "commitTs": "int", "boolean": "bool"}
        if kind in simple:
            return simple[str(kind)], validator
        if kind == "null":
            return "None", validator
        if kind == "bytes":
            return "bytes", validator
        if kind in ("any", "map", "set"):
            return "Any", validator
        if kind == "id":
            return self.id_type(str(validator.get("tableName"))), validator
        if kind == "literal":
            value = literal_value(validator.get("value"))
            return (f"Literal[{_py(value)}]" if not isinstance(value, float) else "float"), validator
        if kind == "array":
            item, inner = self.type_of(validator["value"], f"{owner}Item", f"{where}[*]")
            return f"list[{item}]", {**validator, "value": inner}
        if kind == "record":
            key, keys = self.type_of(validator["keys"], f"{owner}Key", f"{where}.keys()")
            value, values = self.type_of(validator["values"]["fieldType"], f"{owner}Value", f"{where}[*]")
            return f"dict[{key}, {value}]", {
                **validator,
                "keys": keys,
                "values": {**validator["values"], "fieldType": values},
            }
        if kind == "object":
            name = self.object_class(validator, owner, f"The object at {where}.", where)
            return name, {**validator, "class": name}
        if kind == "union":
            return self.union(validator, owner, where)
        return "Any", validator

    def union(self, validator: Json, owner: str, where: str) -> tuple[str, Json]:
        members, named, literals = [], [], []
        for i, member in enumerate(validator["value"], 1):
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
        return (" | ".join(members) or "Never"), {**validator, "value": named}

    def object_class(self, validator: Json, owner: str, doc: str, where: str, **extra: Any) -> str:
        cls = Class(self.unique(owner), doc, **extra)
        self.classes.append(cls)
        for convex, spec in validator.get("value", {}).items():
            hint = f"{cls.name}{pascal(convex)}"
            annotation, named = self.type_of(spec["fieldType"], hint, f"{where}.{convex}")
            optional = bool(spec.get("optional"))
            if optional and annotation != "Any" and not annotation.endswith("None"):
                annotation += " | None"
            cls.fields.append(Field(python_name(convex), convex, optional, annotation, named))
        return cls.name

    def table(self, table: Json) -> list[str]:
        """The table's class (and its variants'): their names, the table's class first."""
        name, doc = str(table["tableName"]), table.get("documentType") or {"type": "any"}
        ident = self.id_type(name)
        title = f"{pascal(name)}Doc"
        if doc.get("type") == "object":
            fields = {
                k: v for k, v in doc.get("value", {}).items() if not k.startswith("_")
            }  # the backend drops them
            return [
                self.object_class(
                    {**doc, "value": fields}, title, f"A document of the table {name}.", name, table_id=ident
                )
            ]
        if doc.get("type") == "union":
            base = Class(
                self.unique(title), f"A document of the table {name}: one of its variants.", table_id=ident
            )
            self.classes.append(base)
            variants = []
            for i, member in enumerate(doc.get("value", []), 1):
                fields = {k: v for k, v in member.get("value", {}).items() if not k.startswith("_")}
                doc_i = f"Variant {i} of the documents of the table {name}."
                variants.append(
                    self.object_class({**member, "value": fields}, f"{title}{i}", doc_i, name, base=base.name)
                )
            return [base.name, *variants]
        self.classes.append(
            Class(self.unique(title), f"A document of the table {name} (v.any()).", table_id=ident, any=True)
        )
        return [self.classes[-1].name]


def _py(value: object) -> str:
    """A literal value as Python source (double quotes, as ruff writes strings)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
