"""A pytest plugin for `make mutation` only (mutmut loads it with `-p tests.support.mutation_plugin`).

Two things make mutmut's runs of these tests slow or blind, and this plugin deals with each:

1. Node's evaluation of the same schema.ts texts. mutmut runs the push rules' tests once per
   mutant, and most of their time is Node evaluating the same files (the peer corpus: ~200
   files, ~10 s a run). No mutant can change what Node makes of them: the mutated code is
   Python that reads Node's result, and the evaluating helper (a .mjs file) is never mutated.
   So the batch runs of tests.support.schema_batch keep Node's result by what determines it
   (the helper, the installed convex package, the schema texts, where node_modules is seen
   from), and a later run with the same inputs reads it back. mutmut forks its workers from
   its main process, which has run the tests already: they inherit what it kept. The Python
   side (`evaluation_of`, the checks, the push rules) runs in full every time.

2. Tests that share a module-scoped fixture. mutmut runs, for each mutant, only the tests that
   called the mutated function. A batch fixture (test_push_rules' `checked`: every schema of
   the module evaluated and checked at once) calls the push rules while the module's first
   test is set up, so mutmut credits that test alone; the other cases, which only read the
   batch's results, would never run against a mutant. In a mutant's run, each test asked for
   brings along the tests of its module that use the same module-scoped fixture. And the tests
   marked `slow` run last (make test runs them first, to share them out among its workers).
"""

from __future__ import annotations

import copy
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from cli.shared.process import Bounded as _Real
from tests.support import schema_batch

_kept: dict[str, Any] = {}


def _key(argv: list[str], cwd: Path) -> str | None:
    """Everything Node's result depends on, or None when a file cannot be read (no memo)."""
    digest = hashlib.sha256()
    try:
        node, helper, root, *files = argv
        digest.update(Path(helper).read_bytes())
        digest.update((Path(root) / "node_modules" / "convex" / "package.json").read_bytes())
        # The result names bundled files relative to the project: where node_modules really is.
        digest.update(os.path.relpath((Path(root) / "node_modules").resolve(), root).encode())
        digest.update(node.encode() + b"\0")
        for name in files:
            digest.update(name.encode() + b"\0" + (Path(cwd) / name).read_bytes() + b"\0")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


class _Memo:
    """`Bounded(argv, ...).finish()` as schema_batch calls it, Node run once per input."""

    def __init__(self, argv: list[str], *, cwd: Path, **kwargs: Any) -> None:
        self._args = (argv, cwd, kwargs)

    def finish(self) -> Any:
        argv, cwd, kwargs = self._args
        key = _key(argv, cwd)
        if key is not None and key in _kept:
            return copy.deepcopy(_kept[key])  # a run may change what it was given
        done = _Real(argv, cwd=cwd, **kwargs).finish()
        if key is not None and done.returncode == 0 and isinstance(done.result, dict):
            _kept[key] = copy.deepcopy(done)
        return done


schema_batch.Bounded = _Memo  # type: ignore[attr-defined,assignment]


_asked: set[str] = set()  # the test ids mutmut gave this run, when it runs one mutant


def _mutant_run() -> bool:
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """In a mutant's run, collect the whole files of the tests asked for (then see below)."""
    _asked.clear()
    if not _mutant_run() or not all("::" in arg for arg in config.args):
        return
    _asked.update(config.args)
    config.args[:] = list(dict.fromkeys(arg.split("::")[0] for arg in config.args))


def _module_fixtures(item: pytest.Item) -> set[str]:
    """The module-scoped fixtures defined in the item's own module that it uses."""
    info = getattr(item, "_fixtureinfo", None)
    module = item.nodeid.split("::")[0]
    found = set()
    for name in getattr(item, "fixturenames", ()):
        definitions = info.name2fixturedefs.get(name) if info is not None else None
        if definitions and definitions[-1].scope == "module" and definitions[-1].baseid == module:
            found.add(f"{module}::{name}")
    return found


@pytest.hookimpl(trylast=True)  # after tests/conftest.py has put the `slow` tests first
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests asked for and those sharing a module-scoped fixture with one of them, the
    `slow` ones last: mutmut stops at the first failure, which a fast test finds as well."""
    if not _asked:
        return
    shared = set().union(*(_module_fixtures(item) for item in items if item.nodeid in _asked))
    kept = [item for item in items if item.nodeid in _asked or _module_fixtures(item) & shared]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = sorted(kept, key=lambda item: item.get_closest_marker("slow") is not None)
