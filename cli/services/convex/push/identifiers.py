"""Names and field paths as the Convex backend parses them.

Mirrors get-convex/convex-backend at commit 94a42c3db (2026-08-22):
- `check_valid_identifier_slow` in crates/convex/sync_types/src/identifier.rs (table, index
  and field names), with its checks in the same order so the first problem named is the
  backend's;
- `check_valid_field_name` in the same file and `IdentifierFieldName::from_str` in
  crates/value/src/field_name.rs (object keys and path parts must be both);
- `FieldPath::from_str` in crates/value/src/field_path.rs (index, search, vector and filter
  paths): leading and trailing dots are trimmed, then each `.`-separated part must be an
  identifier field name.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_IDENTIFIER_BYTES = 64
MAX_FIELD_NAME_BYTES = 1024


def _is_ascii_alphanumeric(char: str) -> bool:
    return char.isascii() and char.isalnum()


def identifier_problem(name: str) -> str | None:
    """Why `name` is not a valid identifier (`check_valid_identifier_slow`), or None."""
    if not name:
        return "it is empty"
    if not (name[0].isascii() and name[0].isalpha()) and name[0] != "_":
        return f"it starts with {name[0]!r}; identifiers start with a letter or _"
    bad = next((c for c in name if not _is_ascii_alphanumeric(c) and c != "_"), None)
    if bad is not None:
        return f"it contains {bad!r}; identifiers hold only letters, digits and _"
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        return f"it is {len(name.encode())} bytes long; at most {MAX_IDENTIFIER_BYTES} bytes are allowed"
    if set(name) == {"_"}:
        return "it consists only of underscores"
    return None


def field_name_problem(name: str) -> str | None:
    """Why `name` cannot be an object key or path part (`IdentifierFieldName`), or None."""
    if name.startswith("$"):
        return "names starting with $ are reserved"
    if any(not c.isascii() or (ord(c) < 0x20 or ord(c) == 0x7F) for c in name):
        return "field names hold only printable ASCII"
    if len(name.encode()) > MAX_FIELD_NAME_BYTES:
        return f"it is longer than {MAX_FIELD_NAME_BYTES} bytes"
    return identifier_problem(name)


@dataclass(frozen=True)
class FieldPath:
    """A parsed path: its parts, and whether the backend changed the text to get them."""

    parts: tuple[str, ...]
    trimmed: bool = False  # leading or trailing dots were dropped

    def __str__(self) -> str:
        return ".".join(self.parts)

    @property
    def is_system_root(self) -> bool:
        """A single `_`-prefixed part: always present in a document (`can_contain_field`)."""
        return len(self.parts) == 1 and self.parts[0].startswith("_")


def parse_field_path(text: str) -> FieldPath | str:
    """The path as the backend reads it, or why it cannot read it."""
    trimmed = text.strip(".")
    if not trimmed:
        return "it is empty"
    parts = tuple(trimmed.split("."))
    for part in parts:
        problem = field_name_problem(part)
        if problem is not None:
            return f"part {part!r} is invalid: {problem}" if len(parts) > 1 else problem
    return FieldPath(parts, trimmed != text)
