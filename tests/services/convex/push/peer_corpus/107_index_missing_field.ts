// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_false_for_missing_fields_in_a_simple_schema @ bea52bde0
// why: With schemaValidation on, an index on a field the document can never have is rejected.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.string() }).index("by_other", ["other_field"] as any),
  }
);
