"""Fixtures shared by the tests of codegen's output (typegen/) and its run-time (typed/)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from cli.services.convex.typegen.files import documents_text
from tests.support.project import copy_project, schema_export, write_schema

EVERY_KIND = """\
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  users: defineTable({
    name: v.string(), age: v.number(), big: v.int64(), ok: v.boolean(), nothing: v.null(), raw: v.bytes(),
    anything: v.any(), kind: v.union(v.literal("a"), v.literal("b")), score: v.literal(3),
    half: v.literal(1.5), huge: v.literal(5n), yes: v.literal(true), maybe: v.optional(v.string()),
    tags: v.array(v.string()), counts: v.record(v.string(), v.number()),
    owners: v.record(v.id("users"), v.boolean()),
    profile: v.object({ bio: v.string(), links: v.optional(v.array(v.object({ url: v.string() }))) }),
    owner: v.optional(v.id("users")), file: v.optional(v.id("_storage")),
    mixed: v.union(v.string(), v.number(), v.null()), class: v.string(), _hidden: v.string(),
  }),
  events: defineTable(v.union(
    v.object({ type: v.literal("a"), x: v.number() }), v.object({ type: v.literal("b"), y: v.string() }),
  )),
  blobs: defineTable(v.any()),
});
"""


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ModuleType]:
    """The documents module generated for a schema with every validator kind, imported."""
    project = copy_project(tmp_path_factory.mktemp("kinds") / "project")
    write_schema(project, EVERY_KIND)
    source = documents_text(schema_export(project), "convex/schema.ts", timeout=30)
    path = project / "kinds_documents.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("kinds_documents", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kinds_documents"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return source, module
