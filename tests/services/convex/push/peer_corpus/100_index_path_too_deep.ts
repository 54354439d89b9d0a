// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_false_for_nested_fields_that_are_nested_too_far @ bea52bde0
// why: The path continues past a string, which can never contain a field.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.object({ subfield: v.string() }) }).index("by_deep", ["field.subfield.does_not_exist"] as any),
  }
);
