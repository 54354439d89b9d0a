// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_true_for_fields_in_schemas_using_any_at_sublevel @ bea52bde0
// why: Once a path reaches v.any(), any remaining path can be contained.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.any() }).index("by_sub", ["field.subfield.deeper"] as any),
  }
);
