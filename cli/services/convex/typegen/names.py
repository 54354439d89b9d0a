"""Python names for what the schema names: classes in PascalCase, fields and arguments as
attributes and parameters.

The names must not depend on the Python that runs codegen (the models are committed and
checked on every Python the project supports), so the names changed are a fixed list, not
`keyword.iskeyword` of the running interpreter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

# keyword.kwlist of Python 3.11, 3.12 and 3.13 (the same list in all three).
# fmt: off
HARD_KEYWORDS = frozenset({
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
})
# fmt: on
# keyword.softkwlist: 3.11 has `_`, `case` and `match`; 3.12 and 3.13 add `type`.
SOFT_KEYWORDS = frozenset({"_", "case", "match", "type"})
# Names a generated class body or call helper uses after its fields: a field of that name
# would shadow them (`str: float` then `name: str`), so it is renamed too.
USED_IN_BODIES = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "Any", "Literal", "Never"}
    | {"Unset", "UNSET", "field", "dataclass", "Document", "Client", "Registry"}
)
RENAMED = HARD_KEYWORDS | SOFT_KEYWORDS | USED_IN_BODIES


def pascal(name: str) -> str:
    """users -> Users, liquidation_events -> LiquidationEvents, _storage -> SystemStorage."""
    words = [part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part]
    return ("System" if name.startswith("_") else "") + ("".join(words) or "Unnamed")


def python_names(convex: Iterable[str], *reserved: AbstractSet[str]) -> list[str]:
    """The Python names of one class's fields (or one helper's arguments), in their order.

    A name on the fixed list or in a `reserved` set (what the class or helper itself defines,
    the module's generated types) gets a trailing `_`; one that Python would mangle in a class
    body (`__x`) gets a `field` prefix. A changed name never takes a name that another field
    has as it is: it gets more `_` until it is free. The result is the same whatever order
    the other fields come in. The sets are only read: a module's names are not copied per class."""
    names = list(convex)

    def taken(name: str) -> bool:
        return name in RENAMED or any(name in names_set for names_set in reserved)

    wanted = [_wanted(name, taken) for name in names]
    used = {name for name, want in zip(names, wanted, strict=True) if want == name}
    result = []
    for name, want in zip(names, wanted, strict=True):
        if want != name:
            while want in used or taken(want):
                want += "_"
            used.add(want)
        result.append(want)
    return result


def _wanted(name: str, taken: Callable[[str], bool]) -> str:
    if taken(name):
        return f"{name}_"
    return f"field{name}" if name.startswith("__") else name
