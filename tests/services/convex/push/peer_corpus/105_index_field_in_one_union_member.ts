// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_true_for_fields_that_are_sometimes_there_in_a_union_schema @ bea52bde0
// why: A top-level union can contain a field if any member has it.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ field: v.string() }), v.object({ other_field: v.string() }))).index("by_other", ["other_field"]),
  }
);
