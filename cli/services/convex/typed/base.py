"""What generated modules name: the base of their classes, the UNSET of absent optional
fields, and what their call helpers need of a client."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any, Final, Protocol


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
