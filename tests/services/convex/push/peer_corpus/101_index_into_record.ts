// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// why: _can_contain_field returns false for a record, so paths into record values cannot be indexed.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ meta: v.record(v.string(), v.string()) }).index("by_color", ["meta.color"] as any),
  }
);
