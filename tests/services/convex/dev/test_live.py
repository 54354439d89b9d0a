"""dev's round on a change: findings with their line, models written only when what they are
made of changed, and one line of what changed in them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.services.convex.dev.live import LiveModels
from cli.services.project import require_project
from tests.support.project import left_running, private_cache, project_schema, write_schema

MODELS = Path("cli/services/convex/models")


@pytest.fixture
def live(project: Path) -> Iterator[LiveModels]:
    models = LiveModels(require_project(project), "node", 30)
    yield models
    models.close()
    assert left_running(str(project)) == []


def stamps(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / MODELS).iterdir() if p.suffix == ".py"}


def test_current_models_are_not_written(project: Path, live: LiveModels) -> None:
    before = stamps(project)

    done = live.round()

    assert (done.wrote, done.what, done.findings, done.broken) == ([], "", [], None)
    assert stamps(project) == before


def test_a_new_field_is_written_and_named(project: Path, live: LiveModels) -> None:
    live.round()
    write_schema(
        project,
        project_schema().replace(
            "bio: v.optional(v.string()),",
            "bio: v.optional(v.string()),\n    nickname: v.optional(v.string()),",
        ),
    )

    done = live.round({project / "convex" / "schema.ts"})

    assert done.changed == ["convex/schema.ts"]
    assert done.wrote == [f"{MODELS}/documents.py"]
    assert done.what == "fields +users.nickname"
    assert "nickname: str | Unset = UNSET" in (project / MODELS / "documents.py").read_text()


def test_a_function_body_edit_writes_nothing(project: Path, live: LiveModels) -> None:
    live.round()
    before = stamps(project)
    health = project / "convex" / "health.ts"
    health.write_text(
        health.read_text().replace('status: "ok" as const,', 'status: "ok" as const, // still ok')
    )

    done = live.round({health})

    assert (done.wrote, done.models_problem) == ([], None)
    assert stamps(project) == before


def test_a_new_return_field_is_a_changed_function(project: Path, live: LiveModels) -> None:
    live.round()
    health = project / "convex" / "health.ts"
    text = health.read_text()
    text = text.replace("schema: v.string() }", "schema: v.string(), at: v.number() }")
    health.write_text(text.replace("handler: async () => ({", "handler: async () => ({\n    at: 0,"))

    done = live.round({health})

    assert done.wrote == [f"{MODELS}/functions.py"]
    assert done.what == "functions ~health:ping"


def test_a_reserved_index_is_refused_with_its_line_and_models_are_left(
    project: Path, live: LiveModels
) -> None:
    before = stamps(project)
    write_schema(
        project, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    done = live.round({project / "convex" / "schema.ts"})

    assert done.refused
    # the push rule's finding, then the contract's (the app relies on prices.by_symbol)
    assert [(f.code, f.file, f.line) for f in done.findings] == [
        ("push/reserved-index", "convex/schema.ts", 45),
        ("contract/missing-index", "convex/schema.ts", 40),  # prices' defineTable(
    ]
    assert done.wrote == [] and stamps(project) == before


def test_a_schema_that_does_not_evaluate_is_said_and_models_are_left(project: Path, live: LiveModels) -> None:
    before = stamps(project)
    write_schema(project, project_schema().replace("export default", "export default oops +"))

    done = live.round({project / "convex" / "schema.ts"})

    assert done.broken is not None and done.broken.kind == "import"
    assert "oops is not defined" in done.broken.message
    assert stamps(project) == before


def test_a_watcher_that_cannot_start_is_said_and_dev_goes_on() -> None:
    import errno

    from cli.commands.render import round_lines
    from cli.shared.output import plain
    from cli.shared.watch import unavailable

    lines = [plain(line) for line in round_lines(unavailable(errno.ENOSPC), None)]

    assert lines == [
        "app · ✘ files cannot be watched: No space left on device (inotify; the limit is "
        "fs.inotify.max_user_watches); saves are not followed",
        "app · hint: Stop other programs that watch files, or raise it: "
        "`sudo sysctl fs.inotify.max_user_watches=<a higher number>`.",
    ]


def test_a_start_with_nothing_changed_needs_no_node(project: Path) -> None:
    """An earlier round noted what these sources make of the models: the next start judges
    the cached export and starts no Node; a change to any source makes it a real round."""
    private_cache(project)
    earlier = LiveModels(require_project(project), "node", 30)
    earlier.round()
    earlier.close()

    again = LiveModels(require_project(project), "node", 30)
    try:
        first = again.first_round()
        assert first.findings == [] and first.wrote == [] and first.broken is None
        assert not again.node.running  # judged from the cache
    finally:
        again.close()

    write_schema(project, project_schema().replace("bio: v.optional(v.string()),", ""))
    changed = LiveModels(require_project(project), "node", 30)
    try:
        done = changed.first_round()
        assert done.wrote == [f"{MODELS}/documents.py"]  # a real round made them again
    finally:
        changed.close()


def test_a_hand_edited_model_is_made_again_at_the_start(project: Path) -> None:
    earlier = LiveModels(require_project(project), "node", 30)
    earlier.round()
    earlier.close()
    documents = project / MODELS / "documents.py"
    documents.write_text(documents.read_text() + "# edited\n")

    live = LiveModels(require_project(project), "node", 30)
    try:
        done = live.first_round()
    finally:
        live.close()

    assert done.wrote == [f"{MODELS}/documents.py"]
    assert "# edited" not in documents.read_text()
