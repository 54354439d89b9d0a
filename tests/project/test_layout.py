"""The project's shape: what docs/requirements.md asks for, and what must not happen."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.support.project import REPO


def test_top_level_layout() -> None:
    for name in (
        "pyproject.toml",
        "cli",
        "convex",
        "tests",
        ".env.example",
        "Makefile",
        "README.md",
        "package.json",
        "package-lock.json",
        "convex/schema.ts",
        "convex/tsconfig.json",
        "cli/services/convex/__init__.py",
        "cli/services/convex/client.py",
    ):
        assert (REPO / name).exists(), name


def test_convex_is_pinned_exactly_and_recent_enough() -> None:
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert package["dependencies"]["convex"] == "1.48.0"
    assert lock["packages"]["node_modules/convex"]["version"] == "1.48.0"


def test_nothing_in_cli_imports_the_tests_or_click() -> None:
    for path in (REPO / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("tests"), f"{path} imports {name}"
                assert name.split(".")[0] != "click", f"{path} imports click (Typer vendors its own)"


def test_node_helpers_ship_as_package_data_and_are_found_through_it() -> None:
    import tomllib

    from cli.services.convex.toolchain import helper_script

    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data = settings["tool"]["setuptools"]["package-data"]
    helpers = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "cli").rglob("*.mjs"))
    assert helpers == [
        "cli/services/convex/schema/evaluate_schema.mjs",
        "cli/services/convex/schema/serve.mjs",
        "cli/services/convex/typegen/analyze_functions.mjs",
    ]
    for path in helpers:
        folder, name = path.rsplit("/", 1)
        package = folder.replace("/", ".")
        assert data[package] == ["*.mjs"], package
        assert helper_script(package, name) == str(REPO / path)


# Names of documents kept outside this repository; a claim must cite what a reader can open:
# the backend's source, an official client, or a file here.
OUTSIDE_DOCUMENTS = re.compile(r"\b(CONVEX_FACTS|DESIGN\.md)\b|\.\./shared/seed")
MARKDOWN_FILE = re.compile(r"\b(?:[\w-]+/)*[\w-]+\.md\b")


def test_sources_cite_only_what_a_reader_can_open() -> None:
    for folder in ("cli", "tests", "bench", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix not in {".py", ".ts", ".mjs", ".md", ".json"} or "node_modules" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if path != Path(__file__):
                assert not OUTSIDE_DOCUMENTS.search(text), path
            for name in MARKDOWN_FILE.findall(text):
                assert (REPO / name).exists() or (path.parent / name).exists(), (path, name)
