"""Python source text as ruff formats it at the project's line length: calls, assignments
and type expressions split where ruff splits them (with the trailing commas that keep ruff
from joining them again), imports in isort's order, blank lines as ruff leaves them. The
generated models are checked against ruff itself in the tests."""

from __future__ import annotations

import re
from collections.abc import Sequence

WIDTH = 110  # the project's line length (pyproject.toml, ruff)
CHUNK = 96  # characters of JSON per line of the embedded registry


def string_lines(text: str, indent: str) -> list[str]:
    """`text` as implicitly joined string literals, one short line each. JSON has double
    quotes: a piece holding one is single-quoted, needing no escapes, which ruff leaves be."""
    text = text.replace("'", "\\u0027")  # still JSON; never a quote to escape
    pieces = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    # ruff's quotes: double, unless the piece holds a double quote
    quoted = [f"'{p}'" if '"' in p else f'"{p}"' for p in (p.replace("\\", "\\\\") for p in pieces)]
    lines = [indent + piece for piece in quoted]
    lines[-1] += ","  # the last argument of an exploded call, as ruff ends it
    return lines


def call_lines(prefix: str, arguments: list[str]) -> list[str]:
    """`prefix(arguments)` on one line, or with its arguments on the next, as ruff splits it;
    else one argument a line, with the trailing comma that keeps ruff from joining them, and a
    dict argument still too long split the same way. `prefix` carries its indent."""
    indent = " " * (len(prefix) - len(prefix.lstrip()))
    line = f"{prefix}({', '.join(arguments)})"
    if len(line) <= WIDTH:
        return [line]
    inner = f"{indent}    " + ", ".join(arguments)
    if len(inner) <= WIDTH:
        return [f"{prefix}(", inner, f"{indent})"]
    lines = [f"{prefix}("]
    for argument in arguments:
        entries = split_top_level(argument[1:-1], ", ") if argument.startswith("{") else []
        if len(f"{indent}    {argument},") <= WIDTH or not entries:
            lines.append(f"{indent}    {argument},")
        else:
            lines += [f"{indent}    {{", *(f"{indent}        {e}," for e in entries), f"{indent}    }},"]
    return [*lines, f"{indent})"]


def assignment_lines(target: str, expression: str) -> list[str]:
    """`target = expression`, split over lines where it does not fit, as ruff splits it: a
    union in parentheses, a subscript at its brackets."""
    members = split_top_level(expression, " | ")
    if len(f"{target} = {expression}") <= WIDTH or len(members) == 1:
        return type_lines(expression, "", f"{target} = ")
    if len(expression) + 4 <= WIDTH:
        return [f"{target} = (", f"    {expression}", ")"]
    return [f"{target} = (", *union_lines(members, "    ", ""), ")"]


def type_lines(expression: str, indent: str, prefix: str = "", suffix: str = "") -> list[str]:
    """A type expression at `indent` (after `prefix`, before `suffix`), split as ruff splits
    one that does not fit: inside a subscript's brackets, its elements on one line or one a
    line (each with a comma); a union there one member a line, each after `| `."""
    line = f"{indent}{prefix}{expression}{suffix}"
    members = split_top_level(expression, " | ")
    if len(line) <= WIDTH:
        return [line]
    if len(members) > 1:
        return union_lines(members, indent, prefix, suffix)
    if not expression.endswith("]") or "[" not in expression:
        return [line]  # nothing to split at: ruff leaves it long
    head, _, inner = expression[:-1].partition("[")
    parts, inside = split_top_level(inner, ", "), indent + "    "
    if len(parts) == 1:
        body = type_lines(inner, inside)
    elif len(inside + inner) <= WIDTH:
        body = [inside + inner]
    else:
        body = [line for part in parts for line in type_lines(part, inside, suffix=",")]
    return [f"{indent}{prefix}{head}[", *body, f"{indent}]{suffix}"]


def union_lines(members: list[str], indent: str, prefix: str, suffix: str = "") -> list[str]:
    lines = type_lines(members[0], indent, prefix)
    for number, member in enumerate(members[1:], 2):
        lines += type_lines(member, indent, "| ", suffix if number == len(members) else "")
    return lines


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at top-level separators (not inside brackets or strings)."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            start = i + len(separator)
            i = start
            continue
        i += 1
    return [*parts, text[start:]]


def natural_key(name: str) -> tuple[list[tuple[int, int | str]], str]:
    """How ruff's isort orders imported names of one kind: case-insensitive, numbers by value."""
    runs = re.findall(r"\d+|\D+", name.lower())
    return [(0, int(run)) if run.isdigit() else (1, run) for run in runs], name


def import_lines(module: str, names: Sequence[str]) -> list[str]:
    line = f"from {module} import {', '.join(names)}"
    return [line] if len(line) <= WIDTH else [f"from {module} import (", *(f"    {n}," for n in names), ")"]


def dict_lines(target: str, items: dict[str, str]) -> list[str]:
    """`target = {...}` (or the bare dict, as an argument), one item a line with the trailing
    comma that keeps ruff from joining them; `{}` when empty."""
    start, end = (f"{target} = {{", "}") if target else ("{", "},")
    if not items:
        return [start + end]
    return [start, *(f"    {key}: {value}," for key, value in items.items()), end]


def after_imports(lines: list[str]) -> list[str]:
    """What follows the imports, after the blank lines ruff's isort puts there: two before a
    class or function, else one."""
    while lines and lines[0] == "":
        lines = lines[1:]
    return ["", "", *lines] if lines and lines[0].startswith(("@", "class ", "def ")) else ["", *lines]


def tidy(lines: list[str]) -> str:
    """Blank lines as ruff leaves them: at most two in a row, none at the end."""
    out: list[str] = []
    for line in lines:
        if line == "" and len(out) >= 2 and out[-1] == "" and out[-2] == "":
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
