"""The registry a generated module builds of its classes: parsing documents into them,
encoding them for the client, and checked calls of public functions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import parse
from cli.services.convex.typed.base import UNSET, Document, FieldSpec
from cli.services.convex.typed.values import (
    DecodeError,
    Walk,
    by_fit,
    closest,
    fits,
    scalar,
    shaped,
    shown,
)

SYSTEM_FIELDS: dict[str, v.Validator] = {"_id": v.String(), "_creationTime": v.Float64()}


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

    def __init__(
        self,
        classes: Mapping[str, tuple[type[Document], Sequence[FieldSpec] | None]],
        tables: Mapping[str, Sequence[str]] | None = None,
        functions: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any] | None]] | None = None,
        keep_unknown: bool = False,
    ) -> None:
        """`keep_unknown`: the schema says schemaValidation: false, so documents may hold
        fields it does not name; they are kept in the class's `extra`."""
        self.classes = {name: cls for name, (cls, _) in classes.items()}
        self.info = {
            name: ClassInfo(tuple((p, c, o, parse(v)) for p, c, o, v in fields or ()), fields is None)
            for name, (_, fields) in classes.items()
        }
        self.tables = {name: list(variants) for name, variants in (tables or {}).items()}
        self.functions = {
            name: FunctionInfo(parse(args), parse(returns) if returns is not None else None)
            for name, (args, returns) in (functions or {}).items()
        }
        self.keep_unknown = keep_unknown

    def call(self, method: Callable[[str, dict[str, Any]], Any], name: str, args: dict[str, Any]) -> Any:
        """Call a public function with `args` made into what the client sends (int64s wrapped,
        UNSET optional arguments left out); its result checked against its returns validator."""
        spec = self.functions[name]
        declared = {f.name: f for f in spec.args.fields} if isinstance(spec.args, v.Object) else {}
        sent = {
            key: self.encode(declared[key].validator if key in declared else v.AnyValue(), value)
            for key, value in args.items()
            if value is not UNSET
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
            if info.any:
                return dict(getattr(value, "fields", {}))
            fields = {python: (convex, v) for python, convex, _, v in info.fields}
            # A table's fields the schema does not name (schemaValidation: false), first.
            unknown = getattr(value, "extra", None) if "extra" not in fields else None
            encoded = dict(unknown) if isinstance(unknown, dict) else {}
            encoded.update(
                (fields[key][0], self.encode(fields[key][1], item))
                for key, item in vars(value).items()
                if key in fields and item is not UNSET
            )
            return encoded
        match validator:
            case v.Array(item) if isinstance(value, list):
                return [self.encode(item, element) for element in value]
            case v.Record(_, values) if isinstance(value, dict):
                return {key: self.encode(values, item) for key, item in value.items()}
            case v.Object(specs, None) if isinstance(value, dict):
                declared = {f.name: f.validator for f in specs}
                return {
                    key: self.encode(declared.get(key, v.AnyValue()), item) for key, item in value.items()
                }
            case v.Union(members):
                member = next((m for m in by_fit(members, value) if shaped(m, value)), None)
                return value if member is None else self.encode(member, value)
        return value

    def parse_document(self, table: str, value: object) -> Any:
        """A document of `table` as the client returned it; ValueError naming the path that does
        not fit (a table defined as a union: the deepest path in the variant that came closest)."""
        variants = self.tables.get(table)
        if variants is None:
            raise ValueError(f"{table}: not a table of the schema")
        errors, walk = [], Walk()
        for name in variants:
            before = walk.matched
            try:
                return self.decode_object(name, value, table, 0, walk, system_fields=True)
            except DecodeError as error:
                error.matched = walk.matched - before
                errors.append(error)
        raise closest(errors)

    def decode_object(
        self,
        name: str,
        value: object,
        path: str,
        depth: int = 0,
        walk: Walk | None = None,
        *,
        system_fields: bool = False,
    ) -> Any:
        walk = walk if walk is not None else Walk()
        if not isinstance(value, Mapping):
            raise DecodeError(path, f"expected an object, got {shown(value)}", depth)
        info, arguments = self.info[name], {}
        if system_fields:
            for field, validator in SYSTEM_FIELDS.items():
                if field in value:
                    arguments[field] = self.decode(
                        validator, value[field], f"{path}.{field}", depth + 1, walk
                    )
        if info.any:
            arguments["fields"] = {key: item for key, item in value.items() if key not in SYSTEM_FIELDS}
            return self.classes[name](**arguments)
        known = {convex for _, convex, _, _ in info.fields} | (set(SYSTEM_FIELDS) if system_fields else set())
        extra = {str(key): item for key, item in value.items() if key not in known}
        if extra and not (self.keep_unknown and system_fields):
            raise DecodeError(f"{path}.{min(extra)}", "not a field here", depth + 1, shape=True)
        if extra:
            arguments["extra"] = extra
        for python, convex, optional, validator in info.fields:
            if convex in value:
                arguments[python] = self.decode(validator, value[convex], f"{path}.{convex}", depth + 1, walk)
            elif not optional:
                raise DecodeError(
                    f"{path}.{convex}", "missing (the field is required)", depth + 1, shape=True
                )
        return self.classes[name](**arguments)

    def decode(
        self, validator: v.Validator, value: object, path: str, depth: int = 0, walk: Walk | None = None
    ) -> Any:
        """`value` checked against `validator`, objects made into their generated classes and
        numbers into the annotated types (a ConvexInt64 as int, a float64 literal as its value)."""
        walk = walk if walk is not None else Walk()
        match validator:
            case v.AnyValue():
                return value
            case v.Object(_, name) if isinstance(value, Mapping):
                if name is not None:
                    return self.decode_object(name, value, path, depth, walk)
                return self._plain_object(validator, value, path, depth, walk)
            case v.Array(item) if isinstance(value, list):
                return [
                    self.decode(item, element, f"{path}[{i}]", depth + 1, walk)
                    for i, element in enumerate(value)
                ]
            case v.Record(keys, values) if isinstance(value, Mapping):
                return {
                    self.decode(keys, key, f"{path}.keys()", depth + 1, Walk()): self.decode(
                        values, item, f"{path}[{key!r}]", depth + 1, walk
                    )
                    for key, item in value.items()
                }
            case v.Union(members):
                return self._union(validator, members, value, path, depth, walk)
            case _ if fits(validator, value):
                walk.matched += 1
                return scalar(validator, value)
        raise DecodeError(path, f"expected {v.describe(validator)}, got {shown(value)}", depth)

    def _union(
        self,
        union: v.Union,
        members: tuple[v.Validator, ...],
        value: object,
        path: str,
        depth: int,
        walk: Walk,
    ) -> Any:
        """The first member the value fits exactly; else the first it fits as a number of the
        other kind (an int where a float64 is wanted); else the error of the member that came
        closest: the one that matched most values before it failed, then the deepest."""
        errors = []
        for member in by_fit(members, value):
            before = walk.matched
            try:
                return self.decode(member, value, path, depth, walk)
            except DecodeError as error:
                error.matched = walk.matched - before
                errors.append(error)
        nearest = closest(errors) if errors else None
        if nearest is None or nearest.depth <= depth:
            raise DecodeError(path, f"expected {v.describe(union)}, got {shown(value)}", depth)
        raise nearest

    def _plain_object(
        self, validator: v.Object, value: Mapping[str, object], path: str, depth: int, walk: Walk
    ) -> dict[str, Any]:
        fields = {f.name: f for f in validator.fields}
        missing = [f.name for f in validator.fields if f.name not in value and not f.optional]
        if missing:
            raise DecodeError(
                f"{path}.{missing[0]}", "missing (the field is required)", depth + 1, shape=True
            )
        extra = sorted(str(key) for key in value if key not in fields)
        if extra:
            raise DecodeError(f"{path}.{extra[0]}", "not a field here", depth + 1, shape=True)
        return {
            key: self.decode(fields[key].validator, item, f"{path}.{key}", depth + 1, walk)
            for key, item in value.items()
        }
