"""The check's own words are right and said once: the schema's size counts every kind of
index, advice names a file once however it is reached, and what is said to be under way is
what runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli.services.convex.check.run import CheckOptions, run_check
from cli.services.convex.check.schema import schema_size
from cli.services.project import load_project
from cli.shared.report import CheckResult
from tests.support.project import project_schema, run_app, write_schema


def searched(schema: str) -> str:
    """The project's schema with a search index, a vector index and a staged index added."""
    old = '}).index("by_created", ["created_at"]),\n\n  agents'
    assert old in schema
    new = (
        '}).index("by_created", ["created_at"])\n'
        '    .index("by_content", { fields: ["content"], staged: true })\n'
        '    .searchIndex("search_content", { searchField: "content" })\n'
        '    .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 8 }),\n\n  agents'
    )
    extra = "content: v.string(),\n    embedding: v.optional(v.array(v.float64())),"
    return schema.replace(old, new).replace("content: v.string(),", extra, 1)


def checks_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in document["checks"]}


def without_models(project: Path) -> None:
    """No documents.py: the models check is skipped, so a schema of other tables passes."""
    (project / "cli" / "services" / "convex" / "models" / "documents.py").unlink()


# -- the schema's size ----------------------------------------------------------------------


def test_the_summary_counts_search_vector_and_staged_indexes(project: Path) -> None:
    write_schema(project, searched(project_schema()))
    without_models(project)

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0, result.output
    schema = checks_of(result.json())["schema"]
    assert schema["status"] == "passed"
    assert schema["message"] == (
        "convex/schema.ts evaluates: 5 tables, 5 indexes (1 staged), 1 search index, 1 vector index"
    )


def test_a_schema_without_search_indexes_is_summed_up_as_before(project: Path) -> None:
    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0, result.output
    assert checks_of(result.json())["schema"]["message"] == "convex/schema.ts evaluates: 5 tables, 4 indexes"


@pytest.mark.parametrize(
    ("tables", "said"),
    [
        ([], "0 tables, 0 indexes"),
        ([{"tableName": "a", "indexes": [{}]}], "1 table, 1 index"),
        (
            [{"tableName": "a", "searchIndexes": [{}], "stagedVectorIndexes": [{}]}],
            "1 table, 0 indexes, 1 search index, 1 vector index (1 staged)",
        ),
        ([{"tableName": "a", "indexes": None}, "not a table"], "1 table, 0 indexes"),
    ],
)
def test_schema_size_in_words(tables: list[object], said: str) -> None:
    assert schema_size({"tables": tables}) == said


# -- a file named once -----------------------------------------------------------------------


def broken(schema: str) -> str:
    return schema + "\nsyntax error (\n"


def test_a_schema_reached_through_a_linked_folder_is_named_once(project: Path) -> None:
    (project / "convex").rename(project / "backend")
    (project / "convex").symlink_to("backend")  # convex.json says convex/, esbuild says backend/
    (project / "convex.json").write_text(json.dumps({"functions": "convex/"}))
    write_schema(project, broken(project_schema()))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    schema = checks_of(result.json())["schema"]
    assert schema["findings"][0]["code"] == "schema/syntax"
    assert schema["findings"][0]["file"] == "backend/schema.ts"
    assert schema["hint"] == "Fix backend/schema.ts so that it evaluates, then run the check again."


def test_a_functions_folder_that_is_the_project_names_schema_ts_alone(project: Path) -> None:
    for entry in (project / "convex").iterdir():
        entry.rename(project / entry.name)
    (project / "convex").rmdir()
    (project / "convex.json").write_text(json.dumps({"functions": "."}))
    (project / "schema.ts").write_text(broken(project_schema()))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    checks = checks_of(result.json())
    assert checks["layout"]["message"] == "schema.ts, tsconfig.json, .env.example present"
    assert checks["schema"]["message"].startswith("schema.ts:")
    assert checks["schema"]["hint"] == "Fix schema.ts so that it evaluates, then run the check again."


def test_another_file_that_breaks_the_schema_is_named_with_the_schema(project: Path) -> None:
    (project / "convex" / "fields.ts").write_text("export const kind = (;\n")
    write_schema(project, 'import "./fields";\n' + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    schema = checks_of(result.json())["schema"]
    assert schema["findings"][0]["file"] == "convex/fields.ts"
    assert (
        schema["hint"] == "Fix convex/fields.ts so that convex/schema.ts evaluates, then run the check again."
    )


# -- what is said to be under way ------------------------------------------------------------


class Recorder:
    """A Progress that notes what it is told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def working(self, name: str, doing: str) -> None:
        self.events.append(("working", name, doing))

    def finished(self, result: CheckResult) -> None:
        self.events.append(("finished", result.name, result.status.value))


def test_while_the_schema_evaluates_the_schema_is_said_to_run_not_the_toolchain(project: Path) -> None:
    recorder = Recorder()

    report = run_check(load_project(project), CheckOptions(typecheck=False), recorder)

    assert report.exit_code == 0
    working = [event for event in recorder.events if event[0] == "working"]
    # The toolchain takes node's version from the evaluation: it never asks node itself.
    assert working == [("working", "schema", "evaluating convex/schema.ts in Node")]
    assert recorder.events.index(working[0]) < recorder.events.index(("finished", "toolchain", "passed"))


def test_the_toolchain_is_said_to_ask_node_only_when_it_does(project: Path) -> None:
    (project / "convex" / "schema.ts").unlink()  # nothing to evaluate: node is asked its version
    recorder = Recorder()

    run_check(load_project(project), CheckOptions(typecheck=False), recorder)

    working = [event for event in recorder.events if event[0] == "working"]
    assert working == [("working", "toolchain", "asking node for its version")]
