// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// why: A path into a record value is never containable, even if the values are float64 arrays.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ rec: v.record(v.string(), v.array(v.float64())) }).vectorIndex("by_embedding", { vectorField: "rec.main", dimensions: 1536 } as any),
  }
);
