"""The schema cache's note of what the model files hold: kept while the sources stay the same,
wrong as soon as a model file is edited."""

from __future__ import annotations

from pathlib import Path

from cli.services.convex.schema.cache import cached_evaluation, models_match, remember_models, store_export
from cli.services.convex.schema.evaluation import Evaluation
from cli.services.project import require_project
from tests.support.project import private_cache

MODEL = Path("cli/services/convex/models/documents.py")
EXPORT = {"tables": [], "schemaValidation": True}


def test_storing_the_same_sources_again_keeps_the_models_note(project: Path) -> None:
    private_cache(project)
    convex = require_project(project)
    store_export(convex, Evaluation(EXPORT, None))
    remember_models(convex, {project / MODEL: (project / MODEL).read_text(encoding="utf-8")})
    assert models_match(convex)

    store_export(convex, Evaluation(EXPORT, None))  # a later round of the same sources

    cached = cached_evaluation(convex)
    assert cached is not None and cached.export == EXPORT
    assert models_match(convex)


def test_an_edited_model_file_no_longer_matches(project: Path) -> None:
    private_cache(project)
    convex = require_project(project)
    store_export(convex, Evaluation(EXPORT, None))
    remember_models(convex, {project / MODEL: (project / MODEL).read_text(encoding="utf-8")})

    (project / MODEL).write_text("# edited\n", encoding="utf-8")

    assert not models_match(convex)


def test_no_note_is_no_match(project: Path) -> None:
    private_cache(project)
    convex = require_project(project)
    store_export(convex, Evaluation(EXPORT, None))

    assert not models_match(convex)
