"""Values as the official Python client returns them, checked against Convex validators and
turned into the generated document classes (cli/services/convex/models/, written by
`app convex codegen`).

A validator is the JSON of `defineSchema(...).export()`; where the generator made a class
of an object validator, the validator names it under "class". Errors name the path that
does not fit, e.g. `messages.user_id` or `users.tags[2]`.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

from cli.services.convex.schema import validators as v
from cli.services.convex.schema.validator_json import parse

INT64 = (-(2**63), 2**63 - 1)
SYSTEM_FIELDS: dict[str, v.Validator] = {"_id": v.String(), "_creationTime": v.Float64()}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Document:
    """What every generated class is: a document of a table, or an object inside one."""


class Unset(enum.Enum):
    """The value of an optional field a document does not have (as msgspec's UNSET and
    pydantic's sentinels do): `None` stays the value null. Falsy, so `if doc.email:` reads
    as before."""

    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


class Client(Protocol):
    """What the generated call helpers need of a client: the official `convex.ConvexClient`."""

    def query(self, name: str, args: dict[str, Any] | None = None) -> Any: ...
    def mutation(self, name: str, args: dict[str, Any] | None = None) -> Any: ...
    def action(self, name: str, args: dict[str, Any] | None = None) -> Any: ...


# A field as the generated registry lists it: (python name, convex name, optional, validator).
FieldSpec = tuple[str, str, bool, Mapping[str, Any]]


@dataclasses.dataclass(frozen=True)
class ClassInfo:
    fields: tuple[tuple[str, str, bool, v.Validator], ...]  # (python name, convex name, optional, validator)
    any: bool = False  # a v.any() table: its fields are kept as they are, in `fields`


@dataclasses.dataclass(frozen=True)
class FunctionInfo:
    args: v.Validator
    returns: v.Validator | None


class DecodeError(ValueError):
    """A value that does not fit, at `path` (`depth` parts below the value parsed)."""

    def __init__(self, path: str, message: str, depth: int, *, shape: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.depth = path, depth
        self.shape = shape  # a field missing or not declared, not a value of the wrong kind
        self.matched = 0  # values the union member (or table variant) matched before this one


@dataclasses.dataclass
class Walk:
    """How many values one parse has matched so far: how near a union's member came."""

    matched: int = 0


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
                member = next((m for m in _by_fit(members, value) if _shaped(m, value)), None)
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
        raise _closest(errors)

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
            raise DecodeError(path, f"expected an object, got {_shown(value)}", depth)
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
            case _ if _fits(validator, value):
                walk.matched += 1
                return _scalar(validator, value)
        raise DecodeError(path, f"expected {v.describe(validator)}, got {_shown(value)}", depth)

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
        for member in _by_fit(members, value):
            before = walk.matched
            try:
                return self.decode(member, value, path, depth, walk)
            except DecodeError as error:
                error.matched = walk.matched - before
                errors.append(error)
        closest = _closest(errors) if errors else None
        if closest is None or closest.depth <= depth:
            raise DecodeError(path, f"expected {v.describe(union)}, got {_shown(value)}", depth)
        raise closest

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


def _closest(errors: Sequence[DecodeError]) -> DecodeError:
    """The error of the member that matched most, then got deepest, then found a value of the
    wrong kind rather than a field missing or undeclared, then went through fewer records (an
    object that declares a field is nearer than a record that takes any key); the first of
    those, in the members' order."""
    return max(
        errors, key=lambda e: (e.matched, e.depth, not e.shape, -e.path.count("['"))
    )  # keeps the first


def _by_fit(members: tuple[v.Validator, ...], value: object) -> list[v.Validator]:
    """The members in the order a value is tried against them: an int fits int64 before float64."""
    inexact = [m for m in members if _inexact(m, value)]
    return [*(m for m in members if m not in inexact), *inexact]


def _shaped(validator: v.Validator, value: object) -> bool:
    """Whether a Python value (generated classes within it) fits the validator: which member
    of a union encodes it."""
    match validator:
        case v.Object(_, name) if isinstance(value, Document):
            return name == type(value).__name__
        case v.Object(fields, None) if isinstance(value, Mapping):
            declared = {f.name: f.validator for f in fields}
            return set(value) <= set(declared) and all(_shaped(declared[k], i) for k, i in value.items())
        case v.Array(item) if isinstance(value, list):
            return all(_shaped(item, element) for element in value)
        case v.Record(_, values) if isinstance(value, Mapping) and not isinstance(value, Document):
            return all(_shaped(values, item) for item in value.values())
        case v.Union(members):
            return any(_shaped(m, value) for m in members)
        case v.Int64() | v.CommitTs():
            return isinstance(value, int) and not isinstance(value, bool)
        case v.AnyValue():
            return True
        case v.Object() | v.Array() | v.Record():
            return False
    return _fits(validator, value)


def _inexact(validator: v.Validator, value: object) -> bool:
    """An int given where a float64 is wanted: it fits, but an int64 member fits it better."""
    return isinstance(validator, v.Float64) and isinstance(value, int) and not isinstance(value, bool)


def _scalar(validator: v.Validator, value: object) -> Any:
    """A scalar that fits, as its annotated Python type."""
    match validator:
        case v.Float64():
            return float(value)  # type: ignore[arg-type]
        case v.Int64() | v.CommitTs():
            return _int64(value)
        case v.Literal(wanted) if isinstance(wanted, float):
            literal = v.python_literal(wanted)
            return wanted if literal is None else literal
        case v.Literal(wanted):
            return wanted  # an int64 literal as its int, not the ConvexInt64
    return value


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
