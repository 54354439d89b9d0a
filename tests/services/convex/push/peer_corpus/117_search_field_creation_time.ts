// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db; crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_true_for_the_creation_time_field @ bea52bde0
// why: The db-index system-field rules do not apply to search indexes, and can_contain_field accepts any single "_" field.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string() }).searchIndex("s", { searchField: "_creationTime" }),
  }
);
