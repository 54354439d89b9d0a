// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: vector_fields() includes staged vector indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.string() }).vectorIndex("v", { vectorField: "embedding", dimensions: 16, staged: true }),
  }
);
