"""Python types and classes for validators, offline and alike each time (the same export gives
the same classes, in the same order, with the same names, on every Python).

Each table gets a frozen, keyword-only dataclass `<Table>Doc` (a table defined as a union:
a base class with one subclass per variant; a v.any() table: its fields in `fields`), an
`<Table>Id` type, and nested objects classes of their own. An optional field is
`X | Unset` with the default UNSET, so that a document says whether it had the field at all
(`None` is the value null). Field names Python cannot take as they are get a trailing `_`
(names.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import parse
from cli.services.convex.typegen.names import pascal, python_names
from cli.shared.types import JsonObject

# What a generated module imports or defines itself: no generated class may take these names.
MODULE_NAMES = frozenset(
    {"Any", "Final", "Literal", "Never", "NewType", "overload", "dataclass", "field"}
    | {"Client", "Document", "Registry", "UNSET", "Unset", "TABLES", "parse_document", "_REGISTRY"}
)


@dataclass(frozen=True)
class PyType:
    """A Python type as the union of its members: literal values first (one Literal[...]),
    then the other types, None last (as ruff's RUF036 wants)."""

    literals: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    none: bool = False
    inner: frozenset[str] = frozenset()  # the typing names its members' texts hold

    @staticmethod
    def union(types: Iterable[PyType]) -> PyType:
        literals: dict[str, None] = {}
        members: dict[str, None] = {}
        none, inner = False, frozenset[str]()
        for each in types:
            literals.update(dict.fromkeys(each.literals))
            members.update(dict.fromkeys(each.members))
            none, inner = none or each.none, inner | each.inner
        if "Any" in members:
            return ANY
        return PyType(tuple(literals), tuple(members), none, inner)

    def typing_names(self, *, unset: bool = False) -> set[str]:
        """What of `typing` the text uses."""
        text = self.text(unset=unset)
        own = {"Literal"} if self.literals and text != "Any" else set()
        return {
            *self.inner,
            *own,
            *(["Any"] if "Any" in self.members else []),
            *(["Never"] if text == "Never" else []),
        }

    def contained(self, text: str) -> PyType:
        """A type whose one member is `text` (list[...], dict[...]) holding this one."""
        return PyType(members=(text,), inner=frozenset(self.typing_names()))

    def text(self, *, unset: bool = False) -> str:
        if self.members == ("Any",):
            return "Any"
        parts = [f"Literal[{', '.join(self.literals)}]"] if self.literals else []
        parts += [*self.members, *(["Unset"] if unset else []), *(["None"] if self.none else [])]
        return " | ".join(parts) or "Never"


ANY = PyType(members=("Any",))
SIMPLE_TYPES: dict[type, PyType] = {
    v.String: PyType(members=("str",)),
    v.Float64: PyType(members=("float",)),
    v.Int64: PyType(members=("int",)),
    v.CommitTs: PyType(members=("int",)),
    v.Boolean: PyType(members=("bool",)),
    v.Null: PyType(none=True),
    v.Bytes: PyType(members=("bytes",)),
    v.AnyValue: ANY,
}


@dataclass
class Field:
    convex: str
    optional: bool
    type: PyType
    validator: v.Validator  # with the classes it contains named
    python: str = ""  # settled once every generated name is known

    @property
    def annotation(self) -> str:
        return self.type.text(unset=self.optional)


@dataclass
class Class:
    name: str
    doc: str
    fields: list[Field] = field(default_factory=list)
    base: str = "Document"
    table_id: str | None = None  # for a table's documents: the type of their _id
    any: bool = False  # a v.any() table: every field kept in `fields`
    extra: bool = False  # schemaValidation: false: fields the schema does not name, in `extra`

    @property
    def own_names(self) -> set[str]:
        """What the class defines beside the schema's fields."""
        return {
            *(["_id", "_creationTime"] if self.table_id else []),
            *(["fields"] if self.any else []),
            *(["extra"] if self.extra else []),
        }


@dataclass
class Generator:
    tables: list[str]
    ids: dict[str, str] = field(default_factory=dict)  # table -> its Id type's name
    classes: list[Class] = field(default_factory=list)
    names: set[str] = field(default_factory=lambda: set(MODULE_NAMES))
    keep_unknown: bool = False  # the schema says schemaValidation: false

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

    def type_of(self, validator: v.Validator, owner: str, where: str) -> tuple[PyType, v.Validator]:
        """The Python type of a validator (at `where`, e.g. users.profile), and the validator
        with its classes named."""
        match validator:
            case v.Id(table):
                return PyType(members=(self.id_type(table),)), validator
            case v.Literal(value):
                literal = v.python_literal(value)
                if literal is not None:
                    return PyType(literals=(repr(literal),)), validator  # the formatter picks quotes
                return SIMPLE_TYPES[v.Int64 if isinstance(value, int) else v.Float64], validator
            case v.Array(item):
                inner, named = self.type_of(item, f"{owner}Item", f"{where}[*]")
                return inner.contained(f"list[{inner.text()}]"), v.Array(named)
            case v.Record(keys, values, optional):
                key, named_keys = self.type_of(keys, f"{owner}Key", f"{where}.keys()")
                value_type, named_values = self.type_of(values, f"{owner}Value", f"{where}[*]")
                text = f"dict[{key.text()}, {value_type.text()}]"
                return PyType(
                    members=(text,), inner=frozenset(key.typing_names() | value_type.typing_names())
                ), v.Record(named_keys, named_values, optional)
            case v.Object():
                named_object = self.object_class(validator, owner, f"The object at {where}.", where)
                return PyType(members=(str(named_object.name),)), named_object
            case v.Union(members):
                typed = [self.type_of(m, f"{owner}{i}", where) for i, m in enumerate(members, 1)]
                return PyType.union(t for t, _ in typed), v.Union(tuple(named for _, named in typed))
            case v.Malformed():
                return ANY, validator
            case _:
                return SIMPLE_TYPES[type(validator)], validator

    def object_class(self, validator: v.Object, owner: str, doc: str, where: str, **extra: Any) -> v.Object:
        """A class for the object: the object with its name (and its fields' classes named)."""
        cls = Class(self.unique(owner), doc, **extra)
        self.classes.append(cls)
        for spec in validator.fields:
            hint = f"{cls.name}{pascal(spec.name)}"
            py_type, named = self.type_of(spec.validator, hint, f"{where}.{spec.name}")
            cls.fields.append(Field(spec.name, spec.optional, py_type, named))
        return v.Object(validator.fields, cls.name)

    def table(self, table: JsonObject) -> list[str]:
        """The table's class (and its variants'): their names, the table's class first."""
        name = str(table["tableName"])
        doc = parse(table.get("documentType") or {"type": "any"})
        ident = self.id_type(name)
        title = f"{pascal(name)}Doc"
        keep = {"extra": True} if self.keep_unknown else {}
        if isinstance(doc, v.Object):
            text = f"A document of the table {name}."
            named = self.object_class(_user_fields(doc), title, text, name, table_id=ident, **keep)
            return [str(named.name)]
        if isinstance(doc, v.Union):
            text = f"A document of the table {name}: one of its variants."
            base = Class(self.unique(title), text, table_id=ident)
            self.classes.append(base)
            variants = []
            for i, member in enumerate(doc.members, 1):
                if not isinstance(member, v.Object):
                    continue  # the push rules refuse it
                text = f"Variant {i} of the documents of the table {name}."
                named = self.object_class(
                    _user_fields(member), f"{title}{i}", text, name, base=base.name, **keep
                )
                variants.append(str(named.name))
            return [base.name, *variants]
        text = f"A document of the table {name} (v.any())."
        self.classes.append(Class(self.unique(title), text, table_id=ident, any=True))
        return [self.classes[-1].name]

    def settle_names(self) -> None:
        """Every field's Python name, now that every generated name is known."""
        by_name = {cls.name: cls for cls in self.classes}
        for cls in self.classes:
            inherited = by_name.get(cls.base)
            own = cls.own_names | (inherited.own_names if inherited else set())
            names = python_names((f.convex for f in cls.fields), self.names, own)
            for item, name in zip(cls.fields, names, strict=True):
                item.python = name


def _user_fields(document: v.Object) -> v.Object:
    """The fields a document's class holds: the backend drops top-level `_` fields."""
    return v.Object(tuple(f for f in document.fields if not f.name.startswith("_")))
