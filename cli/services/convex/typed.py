"""Values as the official Python client returns them, checked against Convex validators and
turned into the generated document classes (cli/services/convex/models/, written by
`app convex codegen`).

A validator is the JSON of `defineSchema(...).export()`; where the generator made a class
of an object validator, the validator names it under "class". Errors name the path that
does not fit, e.g. `messages.user_id` or `users.tags[2]`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import parse

INT64 = (-(2**63), 2**63 - 1)
SYSTEM_FIELDS: dict[str, v.Validator] = {"_id": v.String(), "_creationTime": v.Float64()}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Document:
    """What every generated class is: a document of a table, or an object inside one."""


class Client(Protocol):
    """What the generated call helpers need of a client: the official `convex.ConvexClient`."""

    def query(self, name: str, args: dict[str, Any] | None = None) -> Any: ...
    def mutation(self, name: str, args: dict[str, Any] | None = None) -> Any: ...
    def action(self, name: str, args: dict[str, Any] | None = None) -> Any: ...


@dataclasses.dataclass(frozen=True)
class ClassInfo:
    fields: tuple[tuple[str, str, bool, v.Validator], ...]  # (python name, convex name, optional, validator)
    any: bool = False  # a v.any() table: its fields are kept as they are, in `fields`


@dataclasses.dataclass(frozen=True)
class FunctionInfo:
    args: v.Validator
    returns: v.Validator | None


class Registry:
    """The generated classes and what the generator knew of each (validators parsed once)."""

    def __init__(self, classes: Mapping[str, type[Document]], data: str) -> None:
        loaded = json.loads(data)
        self.classes = dict(classes)
        self.info = {
            name: ClassInfo(
                tuple((p, c, o, parse(v)) for p, c, o, v in spec["fields"]), spec.get("any", False)
            )
            for name, spec in loaded["classes"].items()
        }
        self.tables: dict[str, list[str]] = loaded.get("tables", {})
        self.functions = {
            name: FunctionInfo(
                parse(spec["args"]), parse(spec["returns"]) if spec["returns"] is not None else None
            )
            for name, spec in loaded.get("functions", {}).items()
        }

    def call(self, method: Callable[[str, dict[str, Any]], Any], name: str, args: dict[str, Any]) -> Any:
        """Call a public function with `args` made into what the client sends (int64s wrapped,
        absent optional arguments left out); its result checked against its returns validator."""
        spec = self.functions[name]
        declared = {f.name: f for f in spec.args.fields} if isinstance(spec.args, v.Object) else {}
        sent = {
            key: self.encode(declared[key].validator if key in declared else v.AnyValue(), value)
            for key, value in args.items()
            if value is not None or not (key in declared and declared[key].optional)
        }
        result = method(name, sent)
        return result if spec.returns is None else self.decode(spec.returns, result, name)

    def encode(self, validator: v.Validator, value: object) -> Any:
        """A Python value as the official client must be given it: an int64 as ConvexInt64 (it
        sends a plain int as a float64), a generated class as a dict of its Convex names."""
        integer = isinstance(value, int) and not isinstance(value, bool)
        if isinstance(validator, v.Int64 | v.CommitTs) and isinstance(value, int) and integer:
            from convex import ConvexInt64

            return ConvexInt64(value)
        if isinstance(value, Document):
            info = self.info[type(value).__name__]
            fields = {python: (convex, v) for python, convex, _, v in info.fields}
            return {
                fields[key][0]: self.encode(fields[key][1], item)
                for key, item in vars(value).items()
                if key in fields and item is not None
            }
        match validator:
            case v.Array(item) if isinstance(value, list):
                return [self.encode(item, element) for element in value]
            case v.Record(_, values) if isinstance(value, dict):
                return {key: self.encode(values, item) for key, item in value.items()}
            case v.Union(members) if integer and any(isinstance(m, v.Int64) for m in members):
                return self.encode(v.Int64(), value)
        return value

    def parse_document(self, table: str, value: object) -> Any:
        """A document of `table` as the client returned it; ValueError naming the path that does
        not fit (a table defined as a union is tried against each of its variants)."""
        variants = self.tables.get(table)
        if variants is None:
            raise ValueError(f"{table}: not a table of the schema")
        problems = []
        for name in variants:
            try:
                return self.decode_object(name, value, table, system_fields=True)
            except ValueError as error:
                problems.append(str(error))
        raise ValueError(
            problems[0] if len(problems) == 1 else f"{table}: fits none of its variants: {problems}"
        )

    def decode_object(self, name: str, value: object, path: str, *, system_fields: bool = False) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"{path}: expected an object, got {_shown(value)}")
        info, arguments = self.info[name], {}
        if system_fields:
            for field, validator in SYSTEM_FIELDS.items():
                if field in value:
                    arguments[field] = self.decode(validator, value[field], f"{path}.{field}")
        if info.any:
            arguments["fields"] = {key: item for key, item in value.items() if key not in SYSTEM_FIELDS}
            return self.classes[name](**arguments)
        known = {convex for _, convex, _, _ in info.fields} | (set(SYSTEM_FIELDS) if system_fields else set())
        extra = sorted(str(key) for key in value if key not in known)
        if extra:
            raise ValueError(f"{path}.{extra[0]}: not a field here")
        for python, convex, optional, validator in info.fields:
            if convex in value:
                arguments[python] = self.decode(validator, value[convex], f"{path}.{convex}")
            elif not optional:
                raise ValueError(f"{path}.{convex}: missing (the field is required)")
        return self.classes[name](**arguments)

    def decode(self, validator: v.Validator, value: object, path: str) -> Any:
        """`value` checked against `validator`, objects made into their generated classes."""
        match validator:
            case v.AnyValue():
                return value
            case v.Object(_, name) if isinstance(value, Mapping):
                if name is not None:
                    return self.decode_object(name, value, path)
                return self._plain_object(validator, value, path)
            case v.Array(item) if isinstance(value, list):
                return [self.decode(item, element, f"{path}[{i}]") for i, element in enumerate(value)]
            case v.Record(keys, values) if isinstance(value, Mapping):
                return {
                    self.decode(keys, key, f"{path}.keys()"): self.decode(values, item, f"{path}[{key!r}]")
                    for key, item in value.items()
                }
            case v.Union(members):
                for member in members:
                    try:
                        return self.decode(member, value, path)
                    except ValueError:
                        continue
            case _ if _fits(validator, value):
                if isinstance(validator, v.Float64):
                    return float(value)  # type: ignore[arg-type]
                integer = _int64(value) if isinstance(validator, v.Int64 | v.CommitTs | v.Literal) else None
                return value if integer is None else integer  # a ConvexInt64 as its int
        raise ValueError(f"{path}: expected {v.describe(validator)}, got {_shown(value)}")

    def _plain_object(self, validator: v.Object, value: Mapping[str, object], path: str) -> dict[str, Any]:
        fields = {f.name: f for f in validator.fields}
        missing = [f.name for f in validator.fields if f.name not in value and not f.optional]
        if missing:
            raise ValueError(f"{path}.{missing[0]}: missing (the field is required)")
        extra = sorted(str(key) for key in value if key not in fields)
        if extra:
            raise ValueError(f"{path}.{extra[0]}: not a field here")
        return {key: self.decode(fields[key].validator, item, f"{path}.{key}") for key, item in value.items()}


def _fits(validator: v.Validator, value: object) -> bool:
    """Whether a scalar `value` fits a scalar validator."""
    match validator:
        case v.String() | v.Id():
            return isinstance(value, str)
        case v.Float64():  # the client gives float64 as float; an int fits it too
            return isinstance(value, int | float) and not isinstance(value, bool)
        case v.Int64() | v.CommitTs():
            return _int64(value) is not None
        case v.Boolean():
            return isinstance(value, bool)
        case v.Null():
            return value is None
        case v.Bytes():
            return isinstance(value, bytes)
        case v.Literal(wanted):
            return _literal_matches(wanted, value)
    return False


def _literal_matches(wanted: v.LiteralValue, value: object) -> bool:
    if isinstance(wanted, str | bool):
        return type(value) is type(wanted) and value == wanted
    if isinstance(wanted, int):  # an int64 literal
        return _int64(value) == wanted
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value == wanted or (math.isnan(wanted) and math.isnan(value))


def _int64(value: object) -> int | None:
    """An int64 as the int it is: the client returns one as a ConvexInt64; an int in range
    is taken too (as Python code writes one). None for anything else."""
    if type(value).__name__ == "ConvexInt64":
        from convex import ConvexInt64

        if isinstance(value, ConvexInt64):
            value = value.value
    if isinstance(value, int) and not isinstance(value, bool) and INT64[0] <= value <= INT64[1]:
        return value
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
