"""Values checked one at a time: scalars against their validators, the numbers as the
annotations say, a union's member for a Python value, and the error of the member that came
closest."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

from cli.services.convex.schema import validators as v
from cli.services.convex.typed.base import Document

INT64 = (-(2**63), 2**63 - 1)


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


def closest(errors: Sequence[DecodeError]) -> DecodeError:
    """The error of the member that matched most, then found a value of the wrong kind rather
    than a field missing or undeclared (the member whose shape the value has), then got
    deepest, then went through fewer records (an object that declares a field is nearer than a
    record that takes any key); the first of those, in the members' order."""
    return max(
        errors, key=lambda e: (e.matched, not e.shape, e.depth, -e.path.count("['"))
    )  # keeps the first


def by_fit(members: tuple[v.Validator, ...], value: object) -> list[v.Validator]:
    """The members in the order a value is tried against them: an int fits int64 before float64."""
    worse = [m for m in members if inexact(m, value)]
    return [*(m for m in members if m not in worse), *worse]


def shaped(validator: v.Validator, value: object) -> bool:
    """Whether a Python value (generated classes within it) fits the validator: which member
    of a union encodes it."""
    match validator:
        case v.Object(_, name) if isinstance(value, Document):
            return name == type(value).__name__
        case v.Object(fields, None) if isinstance(value, Mapping):
            declared = {f.name: f.validator for f in fields}
            return set(value) <= set(declared) and all(shaped(declared[k], i) for k, i in value.items())
        case v.Array(item) if isinstance(value, list):
            return all(shaped(item, element) for element in value)
        case v.Record(_, values) if isinstance(value, Mapping) and not isinstance(value, Document):
            return all(shaped(values, item) for item in value.values())
        case v.Union(members):
            return any(shaped(m, value) for m in members)
        case v.Int64() | v.CommitTs():
            return isinstance(value, int) and not isinstance(value, bool)
        case v.AnyValue():
            return True
        case v.Object() | v.Array() | v.Record():
            return False
    return fits(validator, value)


def inexact(validator: v.Validator, value: object) -> bool:
    """An int given where a float64 is wanted: it fits, but an int64 member fits it better."""
    return isinstance(validator, v.Float64) and isinstance(value, int) and not isinstance(value, bool)


def scalar(validator: v.Validator, value: object) -> Any:
    """A scalar that fits, as its annotated Python type."""
    match validator:
        case v.Float64():
            return float(value)  # type: ignore[arg-type]
        case v.Int64() | v.CommitTs():
            return int64(value)
        case v.Literal(wanted) if isinstance(wanted, float):
            literal = v.python_literal(wanted)
            return wanted if literal is None else literal
        case v.Literal(wanted):
            return wanted  # an int64 literal as its int, not the ConvexInt64
    return value


def fits(validator: v.Validator, value: object) -> bool:
    """Whether a scalar `value` fits a scalar validator."""
    match validator:
        case v.String() | v.Id():
            return isinstance(value, str)
        case v.Float64():  # the client gives float64 as float; an int fits it too
            return isinstance(value, int | float) and not isinstance(value, bool)
        case v.Int64() | v.CommitTs():
            return int64(value) is not None
        case v.Boolean():
            return isinstance(value, bool)
        case v.Null():
            return value is None
        case v.Bytes():
            return isinstance(value, bytes)
        case v.Literal(wanted):
            return literal_matches(wanted, value)
    return False


def literal_matches(wanted: v.LiteralValue, value: object) -> bool:
    if isinstance(wanted, str | bool):
        return type(value) is type(wanted) and value == wanted
    if isinstance(wanted, int):  # an int64 literal
        return int64(value) == wanted
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value == wanted or (math.isnan(wanted) and math.isnan(value))


def int64(value: object) -> int | None:
    """An int64 as the int it is: the client returns one as a ConvexInt64; an int in range
    is taken too (as Python code writes one). None for anything else."""
    if type(value).__name__ == "ConvexInt64":
        from convex import ConvexInt64

        if isinstance(value, ConvexInt64):
            value = value.value
    if isinstance(value, int) and not isinstance(value, bool) and INT64[0] <= value <= INT64[1]:
        return value
    return None


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
