// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// why: Paths do not traverse arrays; _can_contain_field returns false for Array.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ tags: v.array(v.object({ name: v.string() })) }).index("by_tag_name", ["tags.name"] as any),
  }
);
