"""Python names for what the schema names: classes in PascalCase, fields as attributes."""

from __future__ import annotations

import keyword
import re


def pascal(name: str) -> str:
    """users -> Users, liquidation_events -> LiquidationEvents, _storage -> SystemStorage."""
    words = [part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part]
    return ("System" if name.startswith("_") else "") + ("".join(words) or "Unnamed")


def python_name(name: str) -> str:
    """A Convex field name as a Python attribute (keywords and mangled names changed)."""
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{name}_"
    return f"field{name}" if name.startswith("__") else name
